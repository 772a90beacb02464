package dev.autolab.gateway.route;

import com.google.protobuf.Descriptors.MethodDescriptor;

import dev.autolab.gateway.upstream.Upstream;

/**
 * One REST binding of a gRPC method, as its {@code google.api.http} annotation declares it.
 *
 * @param body {@code "*"} (the whole request), a field name, or empty (no body: query parameters)
 */
public record Route(String httpMethod, PathTemplate path, MethodDescriptor method, String body, Upstream upstream) {

    public String fullMethodName() {
        return method.getService().getFullName() + "/" + method.getName();
    }
}
