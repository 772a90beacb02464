package dev.autolab.auth.api;

import java.net.InetSocketAddress;
import java.net.SocketAddress;

import jakarta.enterprise.context.ApplicationScoped;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.quarkus.grpc.GlobalInterceptor;

/**
 * The client's address, for throttling sign-in: the first {@code x-forwarded-for} hop when the
 * gateway set one (only the gateway can reach this service; see deploy's NetworkPolicy), else the peer.
 */
@ApplicationScoped
@GlobalInterceptor
public class ClientAddress implements ServerInterceptor {
    private static final Context.Key<String> KEY = Context.key("autolab-client-address");
    private static final Metadata.Key<String> FORWARDED_FOR = Metadata.Key.of("x-forwarded-for",
            Metadata.ASCII_STRING_MARSHALLER);

    static String current() {
        String address = KEY.get();
        return address == null ? "unknown" : address;
    }

    @Override
    public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(ServerCall<ReqT, RespT> call, Metadata headers,
            ServerCallHandler<ReqT, RespT> next) {
        String forwarded = headers.get(FORWARDED_FOR);
        String address;
        if (forwarded != null && !forwarded.isBlank()) {
            address = forwarded.split(",")[0].trim();
        } else {
            SocketAddress peer = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
            address = peer instanceof InetSocketAddress inet ? inet.getAddress().getHostAddress() : String.valueOf(peer);
        }
        return Contexts.interceptCall(Context.current().withValue(KEY, address), call, headers, next);
    }
}
