package dev.autolab.testing;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.autolab.common.token.TokenCodec;
import dev.autolab.common.token.TokenType;
import dev.autolab.proto.auth.v1.AuthorizeRequest;
import dev.autolab.proto.auth.v1.AuthorizeResponse;
import dev.autolab.proto.auth.v1.GetMemberRoleRequest;
import dev.autolab.proto.auth.v1.GetMemberRoleResponse;
import dev.autolab.proto.auth.v1.InternalAuthServiceGrpc;
import dev.autolab.proto.auth.v1.Principal;
import dev.autolab.proto.auth.v1.Revocations;
import dev.autolab.proto.auth.v1.Role;
import dev.autolab.proto.auth.v1.TokenKind;
import dev.autolab.proto.auth.v1.ValidateTokenRequest;
import dev.autolab.proto.auth.v1.WatchRevocationsRequest;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;

/**
 * auth-service's internal API as keys-service sees it, on a real gRPC server: users with PATs, node
 * credentials bound to a project (which the real auth-service mints only once node-registry exists),
 * and project roles. Answers like auth-service: UNAUTHENTICATED, NOT_FOUND for a project the user
 * cannot see, PERMISSION_DENIED naming the role needed.
 */
public final class FakeAuthService extends InternalAuthServiceGrpc.InternalAuthServiceImplBase {
    /** A user with a personal access token, or a node credential acting for one project. */
    public record Account(String handle, String userId, String token) {}

    private final Map<String, Principal> principals = new ConcurrentHashMap<>();
    private final Map<String, Role> roles = new ConcurrentHashMap<>();
    private final AtomicInteger validations = new AtomicInteger();
    /** Open WatchRevocations streams, told of every {@link #revoke} and sent a heartbeat each second as auth-service does. */
    private final List<StreamObserver<Revocations>> watchers = new CopyOnWriteArrayList<>();

    private final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "fake-auth-heartbeats");
        t.setDaemon(true);
        return t;
    });
    private Server server;

    public int start() throws IOException {
        server = NettyServerBuilder.forPort(0).addService(this).build().start();
        heartbeats.scheduleAtFixedRate(() -> push(Revocations.getDefaultInstance()), 1, 1, TimeUnit.SECONDS);
        return server.getPort();
    }

    public void stop() {
        heartbeats.shutdownNow();
        if (server != null) {
            server.shutdownNow();
        }
    }

    public Account user(String base) {
        String handle = base + "-"
                + Integer.toString(
                        java.util.concurrent.ThreadLocalRandom.current().nextInt(1 << 30), 36);
        String userId = UUID.randomUUID().toString();
        String token = TokenCodec.mint(TokenType.PERSONAL);
        principals.put(
                token,
                Principal.newBuilder()
                        .setUserId(userId)
                        .setHandle(handle)
                        .setTokenId(UUID.randomUUID().toString())
                        .setTokenName("test")
                        .setTokenKind(TokenKind.TOKEN_KIND_PAT)
                        .build());
        return new Account(handle, userId, token);
    }

    /** A second PAT of the same user. */
    public String anotherToken(Account user) {
        String token = TokenCodec.mint(TokenType.PERSONAL);
        principals.put(
                token,
                principals.get(user.token()).toBuilder()
                        .setTokenId(UUID.randomUUID().toString())
                        .build());
        return token;
    }

    /** A node credential of {@code project}, registered by {@code by}. */
    public String node(Account by, String project) {
        String token = TokenCodec.mint(TokenType.NODE);
        principals.put(
                token,
                Principal.newBuilder()
                        .setUserId(by.userId())
                        .setHandle(by.handle())
                        .setTokenId(UUID.randomUUID().toString())
                        .setTokenName("node")
                        .setTokenKind(TokenKind.TOKEN_KIND_NODE)
                        .setNodeId(UUID.randomUUID().toString())
                        .setProject(project)
                        .build());
        return token;
    }

    /** A project owned by {@code owner}; returns its name. */
    public String project(Account owner, String name) {
        String project = owner.handle() + "/" + name;
        grant(owner, project, Role.ROLE_OWNER);
        return project;
    }

    public void grant(Account user, String project, Role role) {
        roles.put(user.userId() + "|" + project, role);
    }

    /** The token stops working, and every watching service hears of it at once. */
    public void revoke(String token) {
        Principal gone = principals.remove(token);
        if (gone != null) {
            push(Revocations.newBuilder().addTokenIds(gone.getTokenId()).build());
        }
    }

    public int watchers() {
        return watchers.size();
    }

    private void push(Revocations event) {
        for (StreamObserver<Revocations> watcher : watchers) {
            try {
                synchronized (watcher) {
                    watcher.onNext(event);
                }
            } catch (RuntimeException closed) {
                watchers.remove(watcher);
            }
        }
    }

    @Override
    public void watchRevocations(WatchRevocationsRequest request, StreamObserver<Revocations> response) {
        response.onNext(Revocations.getDefaultInstance());
        ((io.grpc.stub.ServerCallStreamObserver<Revocations>) response)
                .setOnCancelHandler(() -> watchers.remove(response));
        watchers.add(response);
    }

    public int validations() {
        return validations.get();
    }

    @Override
    public void validateToken(ValidateTokenRequest request, StreamObserver<Principal> response) {
        validations.incrementAndGet();
        Principal p = principals.get(request.getToken());
        if (p == null) {
            response.onError(
                    Status.UNAUTHENTICATED.withDescription("unknown token").asRuntimeException());
            return;
        }
        response.onNext(p);
        response.onCompleted();
    }

    @Override
    public void getMemberRole(GetMemberRoleRequest request, StreamObserver<GetMemberRoleResponse> response) {
        Role role = roles.get(request.getUserId() + "|" + request.getProject());
        response.onNext(GetMemberRoleResponse.newBuilder()
                .setRole(role == null ? Role.ROLE_UNSPECIFIED : role)
                .build());
        response.onCompleted();
    }

    /** The user leaves the project. */
    public void removeMember(Account user, String project) {
        roles.remove(user.userId() + "|" + project);
    }

    @Override
    public void authorize(AuthorizeRequest request, StreamObserver<AuthorizeResponse> response) {
        Principal p = principals.get(request.getToken());
        if (p == null) {
            response.onError(
                    Status.UNAUTHENTICATED.withDescription("unknown token").asRuntimeException());
            return;
        }
        if (p.getTokenKind() == TokenKind.TOKEN_KIND_NODE) {
            response.onError(Status.PERMISSION_DENIED
                    .withDescription("a node credential is not accepted here")
                    .asRuntimeException());
            return;
        }
        if (!request.getProject().matches("[^/]+/[^/]+")) {
            response.onError(Status.INVALID_ARGUMENT
                    .withDescription("write the project as OWNER/NAME")
                    .asRuntimeException());
            return;
        }
        Role role = roles.get(p.getUserId() + "|" + request.getProject());
        if (role == null) {
            response.onError(Status.NOT_FOUND
                    .withDescription("project " + request.getProject() + " not found (or you are not a member)")
                    .asRuntimeException());
            return;
        }
        if (role.getNumber() < request.getMinimumRole().getNumber()) {
            response.onError(Status.PERMISSION_DENIED
                    .withDescription("this needs the "
                            + name(request.getMinimumRole()) + " role or higher on " + request.getProject()
                            + "; you are "
                            + name(role))
                    .asRuntimeException());
            return;
        }
        response.onNext(
                AuthorizeResponse.newBuilder().setPrincipal(p).setRole(role).build());
        response.onCompleted();
    }

    private static String name(Role role) {
        return role.name().substring("ROLE_".length()).toLowerCase(java.util.Locale.ROOT);
    }
}
