package dev.autolab.common.error;

import java.util.UUID;

import org.jboss.logging.Logger;

import com.google.protobuf.Any;
import com.google.rpc.ErrorInfo;

import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;

/** The one place where failures become gRPC statuses. */
public final class StatusMapper {
    public static final String ERROR_DOMAIN = "autolab.dev";
    private static final Logger LOG = Logger.getLogger(StatusMapper.class);

    private StatusMapper() {
    }

    public static StatusRuntimeException toStatus(Throwable failure) {
        Throwable t = unwrap(failure);
        if (t instanceof AutolabException refusal) {
            return fromRefusal(refusal);
        }
        if (t instanceof StatusRuntimeException sre) {
            return sre;
        }
        if (t instanceof StatusException se) {
            return new StatusRuntimeException(se.getStatus(), se.getTrailers());
        }
        // A bug or an outage, not a refusal: log it with an id the caller can quote. Exception
        // messages from drivers never carry bind values, and ours never carry secrets.
        String incident = UUID.randomUUID().toString().substring(0, 8);
        LOG.errorf(t, "internal error %s", incident);
        return Status.INTERNAL
                .withDescription("internal error (incident " + incident + "); the service log has the details")
                .asRuntimeException();
    }

    private static StatusRuntimeException fromRefusal(AutolabException refusal) {
        if (refusal.reason() == null) {
            return Status.fromCode(refusal.code()).withDescription(refusal.getMessage()).asRuntimeException();
        }
        com.google.rpc.Status detailed = com.google.rpc.Status.newBuilder()
                .setCode(refusal.code().value())
                .setMessage(refusal.getMessage())
                .addDetails(Any.pack(ErrorInfo.newBuilder()
                        .setReason(refusal.reason())
                        .setDomain(ERROR_DOMAIN)
                        .build()))
                .build();
        return StatusProto.toStatusRuntimeException(detailed);
    }

    private static Throwable unwrap(Throwable t) {
        Throwable current = t;
        while ((current instanceof java.util.concurrent.CompletionException
                || current instanceof java.util.concurrent.ExecutionException)
                && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }
}
