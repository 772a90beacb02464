package dev.autolab.common.auth;

import dev.autolab.proto.auth.v1.MutinyInternalAuthServiceGrpc;
import dev.autolab.proto.auth.v1.MutinyInternalAuthServiceGrpc.MutinyInternalAuthServiceStub;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientChannel;

/**
 * The gRPC channel a service opens to auth-service, from its {@code host:port} setting, on a Vert.x
 * gRPC client (the service's own event loops, no second transport).
 */
public final class AuthServiceChannel implements AutoCloseable {
    private final GrpcClient client;
    private final MutinyInternalAuthServiceStub stub;

    private AuthServiceChannel(GrpcClient client, MutinyInternalAuthServiceStub stub) {
        this.client = client;
        this.stub = stub;
    }

    /**
     * @param address {@code host:port}
     * @param setting how the address is configured, for the message when it is not {@code host:port}
     */
    public static AuthServiceChannel open(Vertx vertx, String address, String setting) {
        String trimmed = address.trim();
        int colon = trimmed.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException(setting + " must be host:port, not \"" + trimmed + "\"");
        }
        GrpcClient client = GrpcClient.client(vertx);
        GrpcClientChannel channel = new GrpcClientChannel(
                client,
                SocketAddress.inetSocketAddress(
                        Integer.parseInt(trimmed.substring(colon + 1)), trimmed.substring(0, colon)));
        return new AuthServiceChannel(client, MutinyInternalAuthServiceGrpc.newMutinyStub(channel));
    }

    public MutinyInternalAuthServiceStub stub() {
        return stub;
    }

    @Override
    public void close() {
        client.close();
    }
}
