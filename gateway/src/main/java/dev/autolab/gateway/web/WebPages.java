package dev.autolab.gateway.web;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.function.Consumer;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;

import dev.autolab.gateway.Failures;
import dev.autolab.gateway.GatewayConfig;
import dev.autolab.gateway.RequestMetadata;
import dev.autolab.gateway.transcode.GrpcHttpStatus;
import dev.autolab.gateway.upstream.UpstreamClient;
import dev.autolab.gateway.upstream.Upstreams;
import dev.autolab.proto.auth.v1.ApproveDeviceRequest;
import dev.autolab.proto.auth.v1.CreateSessionRequest;
import dev.autolab.proto.auth.v1.CreateUserRequest;
import dev.autolab.proto.auth.v1.DeleteSessionRequest;
import dev.autolab.proto.auth.v1.DenyDeviceRequest;
import dev.autolab.proto.auth.v1.DescribeDeviceRequest;
import dev.autolab.proto.auth.v1.DeviceDecision;
import dev.autolab.proto.auth.v1.DeviceRequestInfo;
import dev.autolab.proto.auth.v1.DeviceServiceGrpc;
import dev.autolab.proto.auth.v1.SessionServiceGrpc;
import dev.autolab.proto.auth.v1.UserServiceGrpc;
import io.grpc.MethodDescriptor;
import io.grpc.Status.Code;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.RoutingContext;

/**
 * Server-rendered pages for people: sign-up, sign-in and device approval. Plain HTML forms, no
 * JavaScript, styled by the gateway's one stylesheet ({@code /assets/autolab.css}); every POST carries a
 * CSRF token; they call auth-service's gRPC API like anyone else.
 */
@Singleton
public class WebPages {
    @Inject
    UpstreamClient upstream;

    @Inject
    Upstreams upstreams;

    @Inject
    GatewayConfig config;

    @Inject
    SessionCookie sessions;

    public void home(RoutingContext ctx) {
        boolean signedIn = hasSession(ctx);
        html(
                ctx,
                200,
                Html.page(
                        "Autolab",
                        """
                <p>This is the Autolab control plane.</p>
                %s
                <p class="muted">From a terminal: <code>autolab login</code></p>""".formatted(
                                                signedIn
                                                        ? "<p>You are signed in in this browser. <a href=\"/dashboard\">"
                                                                + "Open the dashboard</a> to manage your access tokens"
                                                                + " and LLM keys.</p>"
                                                        : "<p><a href=\"/signin\">Sign in</a> · <a href=\"/signup\">Create an account</a></p>")
                                + account(ctx, null)));
    }

    /**
     * Ends the browser session: revoked at auth-service (DeleteSession with the session as its own
     * credential), then the cookie is cleared. A session auth-service no longer knows is simply cleared.
     */
    public void signOut(RoutingContext ctx) {
        if (!formAccepted(ctx)) {
            html(
                    ctx,
                    403,
                    Html.page("Sign out", Html.error("The form expired; please try again.") + account(ctx, null)));
            return;
        }
        String session = sessions.value(ctx);
        if (session == null) {
            Csrf.rotate(ctx, config.cookiesSecure());
            redirect(ctx, "/signin");
            return;
        }
        call(
                ctx,
                SessionServiceGrpc.getDeleteSessionMethod(),
                DeleteSessionRequest.getDefaultInstance(),
                "Bearer " + session,
                reply -> {
                    if (!reply.ok() && reply.code() != Code.UNAUTHENTICATED) {
                        // Not revoked: keep the cookie, so the person can try again rather than believe it ended.
                        html(
                                ctx,
                                GrpcHttpStatus.httpStatus(reply.status().getCode()),
                                Html.page(
                                        "Sign out",
                                        Html.error("Could not sign out: "
                                                        + reply.status().getMessage())
                                                + account(ctx, null)));
                        return;
                    }
                    sessions.clear(ctx);
                    Csrf.rotate(ctx, config.cookiesSecure());
                    redirect(ctx, "/signin");
                });
    }

    public void signInForm(RoutingContext ctx) {
        html(ctx, 200, signInPage(ctx, null, null));
    }

    public void signIn(RoutingContext ctx) {
        if (!formAccepted(ctx)) {
            html(ctx, 403, signInPage(ctx, null, "The form expired; please try again."));
            return;
        }
        String handle = form(ctx, "handle");
        CreateSessionRequest request = CreateSessionRequest.newBuilder()
                .setHandle(handle)
                .setPassword(form(ctx, "password"))
                .build();
        call(ctx, SessionServiceGrpc.getCreateSessionMethod(), request, null, reply -> {
            if (!reply.ok()) {
                html(ctx, 401, signInPage(ctx, handle, reply.status().getMessage()));
                return;
            }
            try {
                sessions.set(ctx, reply.payload());
            } catch (InvalidProtocolBufferException e) {
                html(ctx, 502, signInPage(ctx, handle, "auth-service sent a malformed answer"));
                return;
            }
            Csrf.rotate(ctx, config.cookiesSecure());
            redirect(ctx, safeNext(form(ctx, "next")));
        });
    }

    public void signUpForm(RoutingContext ctx) {
        html(ctx, 200, signUpPage(ctx, null, null));
    }

    public void signUp(RoutingContext ctx) {
        if (!formAccepted(ctx)) {
            html(ctx, 403, signUpPage(ctx, null, "The form expired; please try again."));
            return;
        }
        String handle = form(ctx, "handle");
        String password = form(ctx, "password");
        CreateUserRequest request = CreateUserRequest.newBuilder()
                .setHandle(handle)
                .setPassword(password)
                .setEmail(form(ctx, "email"))
                .setDisplayName(form(ctx, "displayName"))
                .build();
        call(ctx, UserServiceGrpc.getCreateUserMethod(), request, null, created -> {
            if (!created.ok()) {
                html(ctx, 400, signUpPage(ctx, handle, created.status().getMessage()));
                return;
            }
            call(
                    ctx,
                    SessionServiceGrpc.getCreateSessionMethod(),
                    CreateSessionRequest.newBuilder()
                            .setHandle(handle)
                            .setPassword(password)
                            .build(),
                    null,
                    signedIn -> {
                        try {
                            if (signedIn.ok()) {
                                sessions.set(ctx, signedIn.payload());
                                Csrf.rotate(ctx, config.cookiesSecure());
                            }
                        } catch (InvalidProtocolBufferException ignored) {
                            // the account exists; the person can sign in by hand
                        }
                        redirect(ctx, safeNext(form(ctx, "next")));
                    });
        });
    }

    /**
     * The approval page. With a code, it first asks auth-service who is asking (DescribeDevice) and shows
     * it, so the person decides knowing which machine, from where and since when, and as whom.
     */
    public void deviceForm(RoutingContext ctx) {
        String code = ctx.request().getParam("code", "").trim();
        String session = sessions.value(ctx);
        if (session == null) {
            redirect(ctx, signInFor(code));
            return;
        }
        if (code.isEmpty()) {
            html(ctx, 200, lookupPage(ctx, "", null));
            return;
        }
        call(
                ctx,
                DeviceServiceGrpc.getDescribeDeviceMethod(),
                DescribeDeviceRequest.newBuilder().setUserCode(code).build(),
                "Bearer " + session,
                reply -> {
                    if (reply.code() == Code.UNAUTHENTICATED) {
                        sessions.clear(ctx);
                        redirect(ctx, signInFor(code));
                        return;
                    }
                    if (!reply.ok()) {
                        html(
                                ctx,
                                GrpcHttpStatus.httpStatus(reply.status().getCode()),
                                lookupPage(ctx, code, reply.status().getMessage()));
                        return;
                    }
                    DeviceRequestInfo info;
                    try {
                        info = DeviceRequestInfo.parseFrom(reply.payload());
                    } catch (InvalidProtocolBufferException e) {
                        html(ctx, 502, lookupPage(ctx, code, "auth-service sent a malformed answer"));
                        return;
                    }
                    html(ctx, 200, decisionPage(ctx, info));
                });
    }

    public void decideDevice(RoutingContext ctx) {
        String code = form(ctx, "code");
        if (!formAccepted(ctx)) {
            html(ctx, 403, lookupPage(ctx, code, "The form expired; please try again."));
            return;
        }
        String session = sessions.value(ctx);
        if (session == null) {
            redirect(ctx, signInFor(code));
            return;
        }
        boolean approve = "approve".equals(form(ctx, "decision"));
        Consumer<UpstreamClient.Reply> done = reply -> {
            if (reply.code() == Code.UNAUTHENTICATED) {
                sessions.clear(ctx);
                redirect(ctx, signInFor(code));
                return;
            }
            if (!reply.ok()) {
                html(
                        ctx,
                        GrpcHttpStatus.httpStatus(reply.status().getCode()),
                        lookupPage(ctx, code, reply.status().getMessage()));
                return;
            }
            String client;
            try {
                client = DeviceDecision.parseFrom(reply.payload()).getClientName();
            } catch (InvalidProtocolBufferException e) {
                client = "the device";
            }
            html(
                    ctx,
                    200,
                    Html.page(
                            approve ? "Device approved" : "Sign-in denied",
                            approve
                                    ? "<p class=\"ok\">" + Html.escape(client) + " is now signed in as you.</p>"
                                            + "<p>You can close this tab and return to your terminal.</p>"
                                            + account(ctx, null)
                                    : "<p>The sign-in from " + Html.escape(client)
                                            + " was denied. Nothing was granted.</p>" + account(ctx, null)));
        };
        String bearer = "Bearer " + session;
        if (approve) {
            call(
                    ctx,
                    DeviceServiceGrpc.getApproveDeviceMethod(),
                    ApproveDeviceRequest.newBuilder().setUserCode(code).build(),
                    bearer,
                    done);
        } else {
            call(
                    ctx,
                    DeviceServiceGrpc.getDenyDeviceMethod(),
                    DenyDeviceRequest.newBuilder().setUserCode(code).build(),
                    bearer,
                    done);
        }
    }

    private String signInPage(RoutingContext ctx, String handle, String error) {
        String next = safeNext(ctx.request().getParam("next", form(ctx, "next")));
        return Html.page(
                "Sign in to Autolab",
                Html.error(error)
                        + """
                <form method="post" action="/signin">
                %s
                <input type="hidden" name="next" value="%s">
                <label for="handle">Handle</label>
                <input id="handle" name="handle" autocomplete="username" required value="%s">
                <label for="password">Password</label>
                <input id="password" name="password" type="password" autocomplete="current-password" required>
                <button type="submit" class="primary">Sign in</button>
                </form>
                <p class="muted">No account? <a href="/signup?next=%s">Create one</a>.</p>""".formatted(
                                        Csrf.field(Csrf.tokenFor(ctx, config.cookiesSecure())),
                                        Html.escape(next),
                                        Html.escape(handle),
                                        Html.escape(URLEncoder.encode(next, StandardCharsets.UTF_8))));
    }

    private String signUpPage(RoutingContext ctx, String handle, String error) {
        String next = safeNext(ctx.request().getParam("next", form(ctx, "next")));
        return Html.page(
                "Create an Autolab account",
                Html.error(error)
                        + """
                <form method="post" action="/signup">
                %s
                <input type="hidden" name="next" value="%s">
                <label for="handle">Handle</label>
                <input id="handle" name="handle" autocomplete="username" required pattern="[a-z][a-z0-9-]{1,38}" value="%s">
                <label for="displayName">Display name (optional)</label>
                <input id="displayName" name="displayName" autocomplete="name">
                <label for="email">Email</label>
                <input id="email" name="email" type="email" autocomplete="email" required>
                <label for="password">Password (10 characters or more)</label>
                <input id="password" name="password" type="password" autocomplete="new-password" minlength="10" required>
                <button type="submit" class="primary">Create account</button>
                </form>""".formatted(
                                        Csrf.field(Csrf.tokenFor(ctx, config.cookiesSecure())),
                                        Html.escape(next),
                                        Html.escape(handle)));
    }

    /** Asks for the code (or shows why the given one was refused, next to the field). */
    private String lookupPage(RoutingContext ctx, String code, String error) {
        return Html.page("Approve a sign-in", """
                <p>A terminal is asking to sign in to Autolab as you. Enter the code it shows:</p>
                <form method="get" action="/device">
                <label for="code">Code</label>
                <input id="code" name="code" class="code" required value="%s" aria-describedby="code-error">
                <span id="code-error">%s</span>
                <button type="submit" class="primary">Continue</button>
                </form>""".formatted(Html.escape(code), Html.error(error)) + account(ctx, null));
    }

    /** Who asks, from where and since when, as whom it would sign in; then Approve or Deny. */
    private String decisionPage(RoutingContext ctx, DeviceRequestInfo info) {
        String warning = info.getReplacesLiveLogin()
                ? "<p class=\"warn\" role=\"alert\">You already have a login token for <strong>"
                        + Html.escape(info.getClientName())
                        + "</strong>. Approving replaces it: the terminal signed in with it now"
                        + " will be signed out.</p>"
                : "";
        return Html.page(
                "Approve a sign-in",
                """
                <p>A terminal is asking to sign in to Autolab as <strong>%s</strong>. Approve only if you started
                this sign-in and your terminal shows this code.</p>
                <dl>
                <dt>Code</dt><dd class="code">%s</dd>
                %s<dt>Machine</dt><dd>%s</dd>
                <dt>From address</dt><dd>%s</dd>
                <dt>Asked at</dt><dd>%s</dd>
                <dt>Signed in as</dt><dd>%s</dd>
                </dl>
                %s
                <form method="post" action="/device">
                %s
                <input type="hidden" name="code" value="%s">
                <button type="submit" name="decision" value="approve" class="primary">Approve</button>
                <button type="submit" name="decision" value="deny">Deny</button>
                </form>
                <p class="muted">Approving creates a token named <code>login@%s</code>; you can revoke it any time
                with <code>autolab token revoke</code>.</p>""".formatted(
                                        Html.escape(info.getSignedInAs()),
                                        Html.escape(info.getUserCode()),
                                        program(info),
                                        Html.escape(info.getClientName()),
                                        Html.escape(info.getClientAddress()),
                                        Html.escape(when(info.getRequestedAt())),
                                        Html.escape(info.getSignedInAs()),
                                        warning,
                                        Csrf.field(Csrf.tokenFor(ctx, config.cookiesSecure())),
                                        Html.escape(info.getUserCode()),
                                        Html.escape(info.getClientName()))
                        + account(ctx, info.getSignedInAs()));
    }

    /** The registered OAuth client that asks (its name from the registration, and its id), when known. */
    private static String program(DeviceRequestInfo info) {
        if (info.getClientId().isEmpty()) {
            return "";
        }
        String name = info.getClientDisplayName().isEmpty() ? info.getClientId() : info.getClientDisplayName();
        return "<dt>Program</dt><dd>" + Html.escape(name) + " <span class=\"muted\">(client "
                + Html.escape(info.getClientId()) + ")</span></dd>\n";
    }

    /** The signed-in footer with its Sign out button (a POST with the CSRF token: no script, no link-click sign-out). */
    private String account(RoutingContext ctx, String handle) {
        if (!hasSession(ctx)) {
            return "";
        }
        return """
                <div class="account muted">%s
                <form method="post" action="/signout">%s<button type="submit">Sign out</button></form></div>""".formatted(
                        handle == null || handle.isEmpty() ? "Signed in." : "Signed in as " + Html.escape(handle) + ".",
                        Csrf.field(Csrf.tokenFor(ctx, config.cookiesSecure())));
    }

    private boolean hasSession(RoutingContext ctx) {
        return sessions.value(ctx) != null;
    }

    /**
     * A form POST is taken only from one of our pages (Origin, see {@link SessionCookie#formFromOwnPage})
     * and with the CSRF token of the browser's one CSRF cookie.
     */
    private boolean formAccepted(RoutingContext ctx) {
        return sessions.formFromOwnPage(ctx) && Csrf.valid(ctx, config.cookiesSecure());
    }

    private static String when(com.google.protobuf.Timestamp at) {
        if (at.getSeconds() == 0) {
            return "unknown";
        }
        return DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
                .withZone(ZoneOffset.UTC)
                .format(Instant.ofEpochSecond(at.getSeconds()));
    }

    private static String signInFor(String code) {
        String back = code.isEmpty() ? "/device" : "/device?code=" + URLEncoder.encode(code, StandardCharsets.UTF_8);
        return "/signin?next=" + URLEncoder.encode(back, StandardCharsets.UTF_8);
    }

    private <Q extends MessageLite> void call(
            RoutingContext ctx,
            MethodDescriptor<Q, ?> method,
            Q request,
            String bearer,
            Consumer<UpstreamClient.Reply> then) {
        MultiMap metadata = RequestMetadata.forUpstream(ctx, bearer);
        upstream.unary(
                        upstreams.forService(method.getServiceName()),
                        method.getFullMethodName(),
                        request.toByteArray(),
                        metadata,
                        config.callTimeout())
                .onComplete(done -> {
                    try {
                        then.accept(done.result());
                    } catch (RuntimeException e) {
                        Failures.internal(ctx, e);
                    }
                });
    }

    private static String form(RoutingContext ctx, String name) {
        String value = ctx.request().getFormAttribute(name);
        return value == null ? "" : value.trim();
    }

    /** Only same-site paths of safe characters: never an open redirect (see {@link NextPath}). */
    static String safeNext(String next) {
        return NextPath.safe(next);
    }

    private static void redirect(RoutingContext ctx, String location) {
        ctx.response().setStatusCode(303).putHeader("location", location).end();
    }

    private void html(RoutingContext ctx, int status, String page) {
        SessionCookie.strictTransport(config, ctx.response());
        ctx.response()
                .setStatusCode(status)
                .putHeader("content-type", "text/html; charset=utf-8")
                .putHeader("x-frame-options", "DENY")
                // A page carries a CSRF token and who is signed in: never from a cache (nor Back after sign-out).
                .putHeader("cache-control", "no-store")
                .putHeader("x-content-type-options", "nosniff")
                .putHeader(
                        "content-security-policy",
                        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
                                + "frame-ancestors 'none'; base-uri 'none'")
                // same-origin, not no-referrer: under no-referrer a browser sends "Origin: null" on the forms'
                // POSTs, and formFromOwnPage needs the real origin.
                .putHeader("referrer-policy", "same-origin")
                .end(page);
    }
}
