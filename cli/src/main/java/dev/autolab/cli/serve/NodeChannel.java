package dev.autolab.cli.serve;

import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import javax.net.ssl.SSLException;

import dev.autolab.cli.client.ApiException;
import dev.autolab.cli.client.UnreachableException;
import dev.autolab.cli.command.UsageError;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;

/**
 * Native gRPC to the host's own address: the gateway passes node traffic through. {@code http://}
 * is cleartext HTTP/2 (h2c), {@code https://} is TLS.
 */
final class NodeChannel {
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);
    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    private NodeChannel() {}

    static ManagedChannel open(String host) {
        URI uri;
        try {
            uri = URI.create(host);
        } catch (IllegalArgumentException e) {
            uri = null;
        }
        if (uri == null || uri.getHost() == null) {
            throw new UsageError(
                    "the host " + host + " is not an address like https://autolab.example or localhost:8080");
        }
        boolean tls = "https".equalsIgnoreCase(uri.getScheme());
        int port = uri.getPort() != -1 ? uri.getPort() : tls ? 443 : 80;
        String name = uri.getHost();
        if (name.startsWith("[") && name.endsWith("]")) {
            name = name.substring(1, name.length() - 1); // an IPv6 literal
        }
        NettyChannelBuilder builder = NettyChannelBuilder.forAddress(name, port).userAgent("autolab-cli");
        if (tls) {
            builder.useTransportSecurity();
        } else {
            builder.usePlaintext();
        }
        return builder.build();
    }

    static io.grpc.ClientInterceptor bearer(String credential) {
        Metadata headers = new Metadata();
        headers.put(AUTHORIZATION, "Bearer " + credential);
        return MetadataUtils.newAttachHeadersInterceptor(headers);
    }

    /**
     * A failed call as the CLI reports it: the host unreachable or the service unavailable is exit
     * code 3 (retry later), anything else the server said is a refusal (exit code 1) with its message.
     */
    static RuntimeException failure(StatusRuntimeException e, String host) {
        Status status = e.getStatus();
        String message = status.getDescription();
        return switch (status.getCode()) {
            case UNAVAILABLE ->
                status.getCause() != null || message == null
                        ? new UnreachableException(unreachable(status.getCause(), host))
                        : new ApiException(0, ApiException.UNAVAILABLE, message, "");
            case DEADLINE_EXCEEDED ->
                new UnreachableException(
                        host + " did not answer within " + CALL_TIMEOUT.toSeconds() + " s; try again shortly");
            default ->
                new ApiException(
                        0,
                        status.getCode().value(),
                        message == null || message.isBlank() ? host + " answered " + status.getCode() : message,
                        "");
        };
    }

    static String unreachable(Throwable cause, String host) {
        Throwable root = cause;
        while (root != null && root.getCause() != null && root.getCause() != root) {
            if (root instanceof ConnectException || root instanceof UnknownHostException) {
                break;
            }
            root = root.getCause();
        }
        String why = root instanceof ConnectException
                ? "connection refused"
                : root instanceof UnknownHostException
                        ? "unknown host"
                        : root instanceof SSLException
                                ? "TLS failed: " + root.getMessage()
                                : root == null || root.getMessage() == null ? "no connection" : root.getMessage();
        return "cannot reach " + host + " (" + why + "); is the control plane running? `bin/autolab-dev` starts one "
                + "locally";
    }
}
