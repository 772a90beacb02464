package dev.autolab.gateway.transcode;

import java.util.List;

import com.google.protobuf.InvalidProtocolBufferException;

import dev.autolab.gateway.route.Route;

/**
 * What a route needs on every request, made once at start: its template for logs and metrics, its method
 * name, its response hooks, and how its answer becomes JSON ({@link ProtoJson} where it covers the type,
 * JsonFormat otherwise).
 */
record RoutePlan(String template, String fullMethodName, List<ResponseHook> hooks, Route route, ProtoJson printer) {

    static RoutePlan of(Route route, List<ResponseHook> hooks) {
        return new RoutePlan(
                route.httpMethod() + " " + route.path(),
                route.fullMethodName(),
                List.copyOf(hooks),
                route,
                ProtoJson.forType(route.method().getOutputType()));
    }

    String json(byte[] response) throws InvalidProtocolBufferException {
        return printer != null
                ? printer.print(response)
                : ResponseTranscoder.json(route.method().getOutputType(), response);
    }
}
