package dev.autolab.common.auth;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import dev.autolab.common.error.Errors;
import dev.autolab.proto.auth.v1.MutinyInternalAuthServiceGrpc.MutinyInternalAuthServiceStub;
import dev.autolab.proto.auth.v1.ValidateTokenRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.smallrye.mutiny.Uni;

/** Asks auth-service's internal ValidateToken; what every service but auth-service itself uses. */
public final class RemoteTokenValidator implements TokenValidator {
    private final MutinyInternalAuthServiceStub authService;
    private final Duration deadline;

    public RemoteTokenValidator(MutinyInternalAuthServiceStub authService, Duration deadline) {
        this.authService = authService;
        this.deadline = deadline;
    }

    @Override
    public Uni<Principal> validate(String token) {
        return authService
                .withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS)
                .validateToken(ValidateTokenRequest.newBuilder().setToken(token).build())
                .map(Principal::fromProto)
                .onFailure(StatusRuntimeException.class)
                .transform(RemoteTokenValidator::explain);
    }

    private static Throwable explain(Throwable failure) {
        Status status = ((StatusRuntimeException) failure).getStatus();
        if (status.getCode() == Status.Code.UNAUTHENTICATED) {
            return failure;
        }
        return Errors.unavailable(
                "cannot check the credential: auth-service answered " + status.getCode() + "; try again shortly");
    }
}
