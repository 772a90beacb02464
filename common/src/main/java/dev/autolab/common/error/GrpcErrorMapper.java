package dev.autolab.common.error;

import jakarta.enterprise.context.ApplicationScoped;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.ExceptionHandler;
import io.quarkus.grpc.ExceptionHandlerProvider;

/**
 * Plugs {@link StatusMapper} into Quarkus gRPC, for failures of Mutiny pipelines ({@link #transform})
 * and for exceptions thrown while a call is being handled ({@link #createHandler}).
 */
@ApplicationScoped
public class GrpcErrorMapper implements ExceptionHandlerProvider {

    @Override
    public Throwable transform(Throwable t) {
        return StatusMapper.toStatus(t);
    }

    @Override
    public <ReqT, RespT> ExceptionHandler<ReqT, RespT> createHandler(
            ServerCall.Listener<ReqT> listener, ServerCall<ReqT, RespT> call, Metadata metadata) {
        return new ExceptionHandler<>(listener, call, metadata) {
            @Override
            protected void handleException(Throwable failure, ServerCall<ReqT, RespT> serverCall, Metadata headers) {
                StatusRuntimeException status = StatusMapper.toStatus(failure);
                Metadata trailers = status.getTrailers() != null ? status.getTrailers() : new Metadata();
                serverCall.close(status.getStatus(), trailers);
            }
        };
    }
}
