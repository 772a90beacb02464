package dev.autolab.gateway.web;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;

import dev.autolab.gateway.Failures;
import dev.autolab.gateway.GatewayConfig;
import dev.autolab.gateway.RequestMetadata;
import dev.autolab.gateway.route.Upstreams;
import dev.autolab.gateway.upstream.UpstreamClient;
import dev.autolab.proto.auth.v1.ApproveDeviceRequest;
import dev.autolab.proto.auth.v1.CreateSessionRequest;
import dev.autolab.proto.auth.v1.CreateUserRequest;
import dev.autolab.proto.auth.v1.DenyDeviceRequest;
import dev.autolab.proto.auth.v1.DeviceDecision;
import dev.autolab.proto.auth.v1.DeviceServiceGrpc;
import dev.autolab.proto.auth.v1.SessionServiceGrpc;
import dev.autolab.proto.auth.v1.UserServiceGrpc;
import io.grpc.MethodDescriptor;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.RoutingContext;

/**
 * Server-rendered pages for people: sign-up, sign-in and device approval. Plain HTML forms, no
 * JavaScript; every POST carries a CSRF token; they call auth-service's gRPC API like anyone else.
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
        html(ctx, 200, Html.page("Autolab", """
                <p>This is the Autolab control plane.</p>
                <p><a href="/signin">Sign in</a> · <a href="/signup">Create an account</a></p>
                <p class="muted">From a terminal: <code>autolab login</code></p>"""));
    }

    public void signInForm(RoutingContext ctx) {
        html(ctx, 200, signInPage(ctx, null, null));
    }

    public void signIn(RoutingContext ctx) {
        if (!Csrf.valid(ctx)) {
            html(ctx, 403, signInPage(ctx, null, "The form expired; please try again."));
            return;
        }
        String handle = form(ctx, "handle");
        CreateSessionRequest request = CreateSessionRequest.newBuilder().setHandle(handle)
                .setPassword(form(ctx, "password")).build();
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
            redirect(ctx, safeNext(form(ctx, "next")));
        });
    }

    public void signUpForm(RoutingContext ctx) {
        html(ctx, 200, signUpPage(ctx, null, null));
    }

    public void signUp(RoutingContext ctx) {
        if (!Csrf.valid(ctx)) {
            html(ctx, 403, signUpPage(ctx, null, "The form expired; please try again."));
            return;
        }
        String handle = form(ctx, "handle");
        String password = form(ctx, "password");
        CreateUserRequest request = CreateUserRequest.newBuilder().setHandle(handle).setPassword(password)
                .setEmail(form(ctx, "email")).setDisplayName(form(ctx, "displayName")).build();
        call(ctx, UserServiceGrpc.getCreateUserMethod(), request, null, created -> {
            if (!created.ok()) {
                html(ctx, 400, signUpPage(ctx, handle, created.status().getMessage()));
                return;
            }
            call(ctx, SessionServiceGrpc.getCreateSessionMethod(), CreateSessionRequest.newBuilder()
                    .setHandle(handle).setPassword(password).build(), null, signedIn -> {
                        try {
                            if (signedIn.ok()) {
                                sessions.set(ctx, signedIn.payload());
                            }
                        } catch (InvalidProtocolBufferException ignored) {
                            // the account exists; the person can sign in by hand
                        }
                        redirect(ctx, safeNext(form(ctx, "next")));
                    });
        });
    }

    public void deviceForm(RoutingContext ctx) {
        String code = ctx.request().getParam("code", "");
        if (ctx.request().getCookie(SessionCookie.NAME) == null) {
            redirect(ctx, "/signin?next=" + URLEncoder.encode("/device?code=" + code, StandardCharsets.UTF_8));
            return;
        }
        html(ctx, 200, devicePage(ctx, code, null));
    }

    public void decideDevice(RoutingContext ctx) {
        String code = form(ctx, "code");
        if (!Csrf.valid(ctx)) {
            html(ctx, 403, devicePage(ctx, code, "The form expired; please try again."));
            return;
        }
        var cookie = ctx.request().getCookie(SessionCookie.NAME);
        if (cookie == null) {
            redirect(ctx, "/signin?next=" + URLEncoder.encode("/device?code=" + code, StandardCharsets.UTF_8));
            return;
        }
        boolean approve = "approve".equals(form(ctx, "decision"));
        Consumer<UpstreamClient.Reply> done = reply -> {
            if (reply.status().getCode() == 16) {
                sessions.clear(ctx);
                redirect(ctx, "/signin?next=" + URLEncoder.encode("/device?code=" + code, StandardCharsets.UTF_8));
                return;
            }
            if (!reply.ok()) {
                html(ctx, 400, devicePage(ctx, code, reply.status().getMessage()));
                return;
            }
            String client;
            try {
                client = DeviceDecision.parseFrom(reply.payload()).getClientName();
            } catch (InvalidProtocolBufferException e) {
                client = "the device";
            }
            html(ctx, 200, Html.page(approve ? "Device approved" : "Sign-in denied", approve
                    ? "<p class=\"ok\">" + Html.escape(client) + " is now signed in as you.</p>"
                            + "<p>You can close this tab and return to your terminal.</p>"
                    : "<p>The sign-in from " + Html.escape(client) + " was denied. Nothing was granted.</p>"));
        };
        String bearer = "Bearer " + cookie.getValue();
        if (approve) {
            call(ctx, DeviceServiceGrpc.getApproveDeviceMethod(),
                    ApproveDeviceRequest.newBuilder().setUserCode(code).build(), bearer, done);
        } else {
            call(ctx, DeviceServiceGrpc.getDenyDeviceMethod(), DenyDeviceRequest.newBuilder().setUserCode(code).build(),
                    bearer, done);
        }
    }

    private String signInPage(RoutingContext ctx, String handle, String error) {
        String next = safeNext(ctx.request().getParam("next", form(ctx, "next")));
        return Html.page("Sign in to Autolab", Html.error(error) + """
                <form method="post" action="/signin">
                %s
                <input type="hidden" name="next" value="%s">
                <label for="handle">Handle</label>
                <input id="handle" name="handle" autocomplete="username" required value="%s">
                <label for="password">Password</label>
                <input id="password" name="password" type="password" autocomplete="current-password" required>
                <button type="submit">Sign in</button>
                </form>
                <p class="muted">No account? <a href="/signup?next=%s">Create one</a>.</p>"""
                .formatted(Csrf.field(Csrf.tokenFor(ctx, config.cookiesSecure())), Html.escape(next),
                        Html.escape(handle), Html.escape(URLEncoder.encode(next, StandardCharsets.UTF_8))));
    }

    private String signUpPage(RoutingContext ctx, String handle, String error) {
        String next = safeNext(ctx.request().getParam("next", form(ctx, "next")));
        return Html.page("Create an Autolab account", Html.error(error) + """
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
                <button type="submit">Create account</button>
                </form>"""
                .formatted(Csrf.field(Csrf.tokenFor(ctx, config.cookiesSecure())), Html.escape(next),
                        Html.escape(handle)));
    }

    private String devicePage(RoutingContext ctx, String code, String error) {
        return Html.page("Approve a sign-in", Html.error(error) + """
                <p>A terminal is asking to sign in to Autolab as you. Approve only if it shows this code:</p>
                <form method="post" action="/device">
                %s
                <label for="code">Code</label>
                <input id="code" name="code" class="code" required value="%s">
                <button type="submit" name="decision" value="approve">Approve</button>
                <button type="submit" name="decision" value="deny">Deny</button>
                </form>
                <p class="muted">Approving creates a token named after that machine; you can revoke it any time with
                <code>autolab token revoke</code>.</p>"""
                .formatted(Csrf.field(Csrf.tokenFor(ctx, config.cookiesSecure())), Html.escape(code)));
    }

    private <Q extends MessageLite> void call(RoutingContext ctx, MethodDescriptor<Q, ?> method, Q request,
            String bearer, Consumer<UpstreamClient.Reply> then) {
        MultiMap metadata = RequestMetadata.forUpstream(ctx, bearer);
        upstream.unary(upstreams.forService(method.getServiceName()), method.getFullMethodName(), request.toByteArray(),
                metadata, config.callTimeout()).onComplete(done -> {
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

    private static void html(RoutingContext ctx, int status, String page) {
        ctx.response().setStatusCode(status)
                .putHeader("content-type", "text/html; charset=utf-8")
                .putHeader("x-frame-options", "DENY")
                .putHeader("content-security-policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'")
                .putHeader("referrer-policy", "no-referrer")
                .end(page);
    }
}
