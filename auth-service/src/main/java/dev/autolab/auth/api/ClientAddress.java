package dev.autolab.auth.api;

import java.net.InetSocketAddress;
import java.net.SocketAddress;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import dev.autolab.auth.config.AuthConfig;
import dev.autolab.common.net.AddressRanges;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.quarkus.grpc.GlobalInterceptor;

/**
 * The client's address, which sign-in and device-code limits count per: the peer's own address,
 * unless the peer is a trusted proxy (the gateway; {@code autolab.auth.trusted-proxies}, addresses or CIDR
 * blocks, loopback by default), whose {@code x-forwarded-for} then names the client. Anyone else's header is ignored, so
 * a caller cannot pick a fresh address for every guess.
 */
@Singleton
@GlobalInterceptor
public class ClientAddress implements ServerInterceptor {
    private static final Context.Key<String> KEY = Context.key("autolab-client-address");
    private static final Metadata.Key<String> FORWARDED_FOR =
            Metadata.Key.of("x-forwarded-for", Metadata.ASCII_STRING_MARSHALLER);

    private final AddressRanges trustedProxies;

    @Inject
    public ClientAddress(AuthConfig config) {
        this(AddressRanges.parse(config.trustedProxies()));
    }

    ClientAddress(AddressRanges trustedProxies) {
        this.trustedProxies = trustedProxies;
    }

    static String current() {
        String address = KEY.get();
        return address == null ? "unknown" : address;
    }

    @Override
    public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
            ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
        SocketAddress peer = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
        String peerAddress = peer instanceof InetSocketAddress inet && inet.getAddress() != null
                ? inet.getAddress().getHostAddress()
                : String.valueOf(peer);
        String address = resolve(peerAddress, headers.get(FORWARDED_FOR));
        return Contexts.interceptCall(Context.current().withValue(KEY, address), call, headers, next);
    }

    /** The client: the last hop the trusted proxy appended, when the peer is one; else the peer. */
    String resolve(String peerAddress, String forwardedFor) {
        if (forwardedFor == null || forwardedFor.isBlank() || !trustedProxies.contains(peerAddress)) {
            return peerAddress;
        }
        String[] hops = forwardedFor.split(",");
        String client = hops[hops.length - 1].trim();
        return client.isEmpty() || client.length() > 64 ? peerAddress : client;
    }
}
