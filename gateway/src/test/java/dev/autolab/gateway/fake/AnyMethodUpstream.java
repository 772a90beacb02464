package dev.autolab.gateway.fake;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import io.grpc.HandlerRegistry;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.ServerMethodDefinition;
import io.grpc.stub.ServerCalls;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * One real gRPC server in the place of every service, answering any unary method with an empty message
 * (every field at its default) and keeping the request bytes it got, by method: a test derived from the
 * descriptors needs no fake per service.
 */
public class AnyMethodUpstream implements QuarkusTestResourceLifecycleManager {
    private static final Map<String, List<byte[]>> REQUESTS = new ConcurrentHashMap<>();
    private static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };
    private Server server;

    @Override
    public Map<String, String> start() {
        HandlerRegistry any = new HandlerRegistry() {
            @Override
            public ServerMethodDefinition<?, ?> lookupMethod(String methodName, String authority) {
                MethodDescriptor<byte[], byte[]> method = MethodDescriptor.<byte[], byte[]>newBuilder()
                        .setType(MethodDescriptor.MethodType.UNARY)
                        .setFullMethodName(methodName)
                        .setRequestMarshaller(BYTES)
                        .setResponseMarshaller(BYTES)
                        .build();
                return ServerMethodDefinition.create(method, ServerCalls.asyncUnaryCall((request, response) -> {
                    REQUESTS.computeIfAbsent(methodName, m -> new CopyOnWriteArrayList<>())
                            .add(request);
                    response.onNext(new byte[0]);
                    response.onCompleted();
                }));
            }
        };
        try {
            server = ServerBuilder.forPort(0)
                    .fallbackHandlerRegistry(any)
                    .build()
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String address = "localhost:" + server.getPort();
        return Map.of(
                "autolab.gateway.auth-service", address,
                "autolab.gateway.keys-service", address,
                "autolab.gateway.node-registry", address);
    }

    @Override
    public void stop() {
        server.shutdownNow();
    }

    /** The requests {@code fullMethodName} received so far, oldest first. */
    public static List<byte[]> requests(String fullMethodName) {
        return List.copyOf(REQUESTS.getOrDefault(fullMethodName, List.of()));
    }
}
