package dev.autolab.common.auth;

import java.time.Clock;
import java.time.Instant;

import dev.autolab.common.error.AutolabException;
import dev.autolab.common.error.Errors;
import dev.autolab.common.error.StatusMapper;
import dev.autolab.common.token.TokenCodec;
import dev.autolab.common.token.TokenType;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.StatusRuntimeException;
import io.vertx.core.Vertx;

/**
 * Authenticates every gRPC call from its {@code authorization: Bearer …} metadata and puts the
 * {@link Principal} in the gRPC {@link Context} (read it with {@link Caller#current()}).
 *
 * <p>Malformed and bad-checksum tokens are refused without any lookup; a cached principal admits the
 * call synchronously; otherwise the call waits, without blocking the event loop, for the
 * {@link TokenValidator}. Each service registers a subclass as its global interceptor.
 */
public abstract class BearerAuthInterceptor implements ServerInterceptor {
    public static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private static final String BEARER = "bearer ";

    private final AccessPolicy policy;
    private final TokenValidator validator;
    private final Clock clock;

    protected BearerAuthInterceptor(AccessPolicy policy, TokenValidator validator, Clock clock) {
        this.policy = policy;
        this.validator = validator;
        this.clock = clock;
    }

    @Override
    public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
            ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
        MethodAccess access = policy.accessFor(call.getMethodDescriptor().getFullMethodName());
        if (access == MethodAccess.PUBLIC) {
            return next.startCall(call, headers);
        }
        String token = bearerToken(headers);
        if (token == null) {
            return refuse(
                    call,
                    Errors.unauthenticated(
                            "this call needs a credential: sign in with `autolab login` or set AUTOLAB_TOKEN"));
        }
        TokenType type = TokenCodec.typeOf(token);
        if (type == null) {
            return refuse(
                    call,
                    Errors.unauthenticated("the credential is not a valid Autolab token (mistyped or truncated?); "
                            + "sign in again with `autolab login`"));
        }
        AutolabException wrongKind = checkType(access, type);
        if (wrongKind != null) {
            return refuse(call, wrongKind);
        }
        Principal cached = validator.cachedOrNull(token);
        if (cached != null) {
            return admit(cached, token, call, headers, next);
        }
        DeferredListener<ReqT> deferred = new DeferredListener<>();
        io.vertx.core.Context eventLoop = Vertx.currentContext();
        validator
                .validate(token)
                .subscribe()
                .with(
                        principal -> onCallContext(
                                eventLoop, () -> deferred.attach(admit(principal, token, call, headers, next))),
                        failure -> onCallContext(eventLoop, () -> deferred.attach(refuse(call, failure))));
        return deferred;
    }

    private <ReqT, RespT> ServerCall.Listener<ReqT> admit(
            Principal principal,
            String token,
            ServerCall<ReqT, RespT> call,
            Metadata headers,
            ServerCallHandler<ReqT, RespT> next) {
        Instant now = clock.instant();
        if (principal.isExpired(now)) {
            return refuse(
                    call,
                    Errors.unauthenticated(
                            "the token \"" + principal.tokenName() + "\" expired at " + principal.expiresAt()
                                    + "; create a new one with `autolab token create` or `autolab login`"));
        }
        Context context = Context.current().withValues(Caller.KEY, principal, Caller.TOKEN, token);
        return Contexts.interceptCall(context, call, headers, next);
    }

    private static AutolabException checkType(MethodAccess access, TokenType type) {
        if (access == MethodAccess.NODE) {
            return type == TokenType.NODE
                    ? null
                    : Errors.permissionDenied("this call is for execution nodes and needs a node credential "
                            + "(`autolab serve` gets one when it registers)");
        }
        if (type == TokenType.NODE) {
            return Errors.permissionDenied("a node credential cannot make this call; use a personal access token");
        }
        if (access == MethodAccess.TOKEN && type == TokenType.SESSION) {
            return Errors.permissionDenied("a browser session can only approve sign-ins and use the dashboard; "
                    + "use a personal access token (`autolab token create`)");
        }
        if (access == MethodAccess.SESSION && type != TokenType.SESSION) {
            return Errors.permissionDenied(
                    "approving or denying a sign-in needs a browser session: " + "sign in on the web page first");
        }
        return null;
    }

    private static <ReqT, RespT> ServerCall.Listener<ReqT> refuse(ServerCall<ReqT, RespT> call, Throwable why) {
        StatusRuntimeException status = StatusMapper.toStatus(why);
        call.close(status.getStatus(), status.getTrailers() != null ? status.getTrailers() : new Metadata());
        return new ServerCall.Listener<>() {};
    }

    private static void onCallContext(io.vertx.core.Context eventLoop, Runnable action) {
        if (eventLoop == null || eventLoop == Vertx.currentContext()) {
            action.run();
        } else {
            eventLoop.runOnContext(ignored -> action.run());
        }
    }

    static String bearerToken(Metadata headers) {
        String value = headers.get(AUTHORIZATION);
        if (value == null
                || value.length() <= BEARER.length()
                || !value.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return null;
        }
        return value.substring(BEARER.length()).trim();
    }
}
