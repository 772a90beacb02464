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

    private StatusMapper() {}

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
        if (Outages.isDatabaseOutage(t)) {
            // Expected while PostgreSQL restarts: one line, no stack trace, and an answer that says to retry.
            LOG.warnf("database unreachable: %s", t.getClass().getSimpleName());
            return Status.UNAVAILABLE
                    .withDescription(
                            ServiceName.VALUE + " cannot reach its database right now; " + "try again in a few seconds")
                    .asRuntimeException();
        }
        // A bug, not a refusal: log it with an id the caller can quote. Exception
        // messages from drivers never carry bind values, and ours never carry secrets.
        String incident = UUID.randomUUID().toString().substring(0, 8);
        LOG.errorf(t, "internal error %s", incident);
        return Status.INTERNAL
                .withDescription("internal error (incident " + incident + "); the service log has the details")
                .asRuntimeException();
    }

    private static StatusRuntimeException fromRefusal(AutolabException refusal) {
        if (refusal.reason() == null) {
            return Status.fromCode(refusal.code())
                    .withDescription(refusal.getMessage())
                    .asRuntimeException();
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

    /** This service's name, for messages that say which part of the system is down; read once, when first needed. */
    private static final class ServiceName {
        static final String VALUE = read();

        private static String read() {
            try {
                return org.eclipse.microprofile.config.ConfigProvider.getConfig()
                        .getOptionalValue("quarkus.application.name", String.class)
                        .orElse("the service");
            } catch (RuntimeException noConfig) {
                return "the service";
            }
        }
    }
}
