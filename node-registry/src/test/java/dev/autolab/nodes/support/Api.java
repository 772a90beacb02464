package dev.autolab.nodes.support;

import java.util.concurrent.TimeUnit;

import org.eclipse.microprofile.config.ConfigProvider;

import dev.autolab.proto.nodes.v1.NodeAgentServiceGrpc;
import dev.autolab.proto.nodes.v1.NodeServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.MetadataUtils;

/** A real gRPC client of the running node-registry. */
public final class Api {
    private static ManagedChannel channel;
    private static int channelPort;

    private Api() {}

    public static synchronized ManagedChannel channel() {
        int port = ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);
        if (channel == null || channelPort != port) {
            if (channel != null) {
                channel.shutdownNow();
            }
            channel = ManagedChannelBuilder.forAddress("localhost", port)
                    .usePlaintext()
                    .build();
            channelPort = port;
        }
        return channel;
    }

    static <S extends AbstractStub<S>> S as(S stub, String token) {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
        return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    public static NodeAgentServiceGrpc.NodeAgentServiceBlockingStub agent(String token) {
        return as(NodeAgentServiceGrpc.newBlockingStub(channel()), token).withDeadlineAfter(20, TimeUnit.SECONDS);
    }

    public static NodeAgentServiceGrpc.NodeAgentServiceStub agentAsync(String token) {
        return as(NodeAgentServiceGrpc.newStub(channel()), token);
    }

    public static NodeServiceGrpc.NodeServiceBlockingStub nodes(String token) {
        return as(NodeServiceGrpc.newBlockingStub(channel()), token).withDeadlineAfter(20, TimeUnit.SECONDS);
    }

    /** The status a call was refused with; fails the test when the call succeeded. */
    public static Status refusal(Runnable call) {
        try {
            call.run();
        } catch (StatusRuntimeException e) {
            return e.getStatus();
        }
        throw new AssertionError("the call succeeded but should have been refused");
    }
}
