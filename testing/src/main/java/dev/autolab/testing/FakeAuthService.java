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
import dev.autolab.proto.auth.v1.MintNodeCredentialRequest;
import dev.autolab.proto.auth.v1.MintNodeCredentialResponse;
import dev.autolab.proto.auth.v1.Principal;
import dev.autolab.proto.auth.v1.Revocations;
import dev.autolab.proto.auth.v1.RevokeNodeCredentialsRequest;
import dev.autolab.proto.auth.v1.RevokeNodeCredentialsResponse;
import dev.autolab.proto.auth.v1.Role;
import dev.autolab.proto.auth.v1.TokenKind;
import dev.autolab.proto.auth.v1.ValidateTokenRequest;
import dev.autolab.proto.auth.v1.WatchRevocationsRequest;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;

/**
 * auth-service's internal API as the other services see it, on a real gRPC server: users with PATs,
 * browser sessions, node credentials bound to a project, and project roles. Answers like
 * auth-service: UNAUTHENTICATED, NOT_FOUND for a project the user cannot see, PERMISSION_DENIED
 * naming the role needed.
 *
 * <p>Node credentials come two ways: {@link #node} makes one out of thin air (for services that only
 * check a node's project), {@link #mintNodeCredential} mints one as auth-service does for
 * node-registry, and such a credential then dies with its reason as the real one does: its PAT
 * revoked ({@code token_revoked}), its user below researcher or gone ({@code role_lost}), the node
 * removed or registered again ({@code node_removed}, {@code node_reregistered}).
 */
public final class FakeAuthService extends InternalAuthServiceGrpc.InternalAuthServiceImplBase {
    /** A user with a personal access token, or a node credential acting for one project. */
    public record Account(String handle, String userId, String token) {}

    private final Map<String, Principal> principals = new ConcurrentHashMap<>();
    /** Minted node credentials (token value -> where it came from), for the cascades. */
    private final Map<String, Minted> minted = new ConcurrentHashMap<>();

    private record Minted(String nodeId, String project, String userId, String patTokenId) {}

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

    /** A browser session of the user ({@code als_}). */
    public String session(Account user) {
        String token = TokenCodec.mint(TokenType.SESSION);
        principals.put(
                token,
                principals.get(user.token()).toBuilder()
                        .setTokenId(UUID.randomUUID().toString())
                        .setTokenName("browser")
                        .setTokenKind(TokenKind.TOKEN_KIND_SESSION)
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

    /** Sets the user's role; below researcher, the user's minted node credentials there die (role_lost). */
    public void grant(Account user, String project, Role role) {
        roles.put(user.userId() + "|" + project, role);
        if (role.getNumber() < Role.ROLE_RESEARCHER.getNumber()) {
            revokeMinted(m -> m.userId().equals(user.userId()) && m.project().equals(project), "role_lost");
        }
    }

    /**
     * The token stops working, and every watching service hears of it at once; the node credentials
     * minted with it die too (token_revoked).
     */
    public void revoke(String token) {
        Principal gone = principals.remove(token);
        if (gone == null) {
            return;
        }
        Revocations.Builder event = Revocations.newBuilder().addTokenIds(gone.getTokenId());
        minted.remove(token);
        collectMinted(m -> m.patTokenId().equals(gone.getTokenId()), "token_revoked", event);
        push(event.build());
    }

    /** The credential stops working, pushed with {@code reason} (as auth-service does for node credentials). */
    public void revokeWithReason(String token, String reason) {
        Principal gone = principals.remove(token);
        minted.remove(token);
        if (gone != null) {
            push(Revocations.newBuilder()
                    .addTokenIds(gone.getTokenId())
                    .putReasons(gone.getTokenId(), reason)
                    .build());
        }
    }

    /** The principal of a live credential (e.g. to see which node a minted credential is bound to); null when dead. */
    public Principal principalOf(String token) {
        return principals.get(token);
    }

    /** How many minted node credentials of the node still work. */
    public int liveCredentials(String nodeId) {
        return (int)
                minted.values().stream().filter(m -> m.nodeId().equals(nodeId)).count();
    }

    private void revokeMinted(java.util.function.Predicate<Minted> which, String reason) {
        Revocations.Builder event = Revocations.newBuilder();
        collectMinted(which, reason, event);
        if (event.getTokenIdsCount() > 0) {
            push(event.build());
        }
    }

    private List<String> collectMinted(
            java.util.function.Predicate<Minted> which, String reason, Revocations.Builder event) {
        List<String> ids = new java.util.ArrayList<>();
        for (Map.Entry<String, Minted> e : minted.entrySet()) {
            if (which.test(e.getValue()) && minted.remove(e.getKey(), e.getValue())) {
                Principal gone = principals.remove(e.getKey());
                if (gone != null) {
                    ids.add(gone.getTokenId());
                    event.addTokenIds(gone.getTokenId()).putReasons(gone.getTokenId(), reason);
                }
            }
        }
        return ids;
    }

    private volatile boolean refuseWatchers;

    /**
     * auth-service's revocation stream goes down: open streams end and new ones are refused
     * (UNAVAILABLE) until {@link #restoreRevocationStreams()}, so services fall back to re-validating.
     */
    public void cutRevocationStreams() {
        refuseWatchers = true;
        for (StreamObserver<Revocations> watcher : watchers) {
            watchers.remove(watcher);
            try {
                synchronized (watcher) {
                    watcher.onError(
                            Status.UNAVAILABLE.withDescription("going away").asRuntimeException());
                }
            } catch (RuntimeException closed) {
                // already gone
            }
        }
    }

    public void restoreRevocationStreams() {
        refuseWatchers = false;
    }

    /** The token stops working but nobody is told (as while the revocation stream is down). */
    public void revokeSilently(String token) {
        principals.remove(token);
        minted.remove(token);
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
        if (refuseWatchers) {
            response.onError(Status.UNAVAILABLE.withDescription("not listening").asRuntimeException());
            return;
        }
        response.onNext(Revocations.getDefaultInstance());
        ((io.grpc.stub.ServerCallStreamObserver<Revocations>) response)
                .setOnCancelHandler(() -> watchers.remove(response));
        watchers.add(response);
    }

    public int validations() {
        return validations.get();
    }

    /** Held ValidateToken calls wait here until {@link #releaseValidations()}; null: answered at once. */
    private volatile java.util.concurrent.CountDownLatch validationGate;

    private final AtomicInteger validationsInFlight = new AtomicInteger();

    /** ValidateToken calls wait unanswered (as with a slow auth-service) until {@link #releaseValidations()}. */
    public void holdValidations() {
        validationGate = new java.util.concurrent.CountDownLatch(1);
    }

    public void releaseValidations() {
        java.util.concurrent.CountDownLatch gate = validationGate;
        validationGate = null;
        if (gate != null) {
            gate.countDown();
        }
    }

    /** How many ValidateToken calls are being held right now. */
    public int validationsInFlight() {
        return validationsInFlight.get();
    }

    @Override
    public void validateToken(ValidateTokenRequest request, StreamObserver<Principal> response) {
        validations.incrementAndGet();
        java.util.concurrent.CountDownLatch gate = validationGate;
        if (gate != null) {
            // grpc-java's default executor is a cached pool: blocking one call blocks no other.
            validationsInFlight.incrementAndGet();
            try {
                gate.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                validationsInFlight.decrementAndGet();
            }
        }
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

    /** The user leaves the project; their minted node credentials there die (role_lost). */
    public void removeMember(Account user, String project) {
        roles.remove(user.userId() + "|" + project);
        revokeMinted(m -> m.userId().equals(user.userId()) && m.project().equals(project), "role_lost");
    }

    private final AtomicInteger mints = new AtomicInteger();

    /** How many MintNodeCredential calls succeeded. */
    public int mints() {
        return mints.get();
    }

    @Override
    public void mintNodeCredential(
            MintNodeCredentialRequest request, StreamObserver<MintNodeCredentialResponse> response) {
        Principal pat = principals.get(request.getToken());
        if (pat == null) {
            response.onError(
                    Status.UNAUTHENTICATED.withDescription("unknown token").asRuntimeException());
            return;
        }
        if (pat.getTokenKind() != TokenKind.TOKEN_KIND_PAT && pat.getTokenKind() != TokenKind.TOKEN_KIND_LOGIN) {
            response.onError(Status.PERMISSION_DENIED
                    .withDescription("registering a node needs a personal access token")
                    .asRuntimeException());
            return;
        }
        Role role = roleCheck(pat, request.getProject(), Role.ROLE_RESEARCHER, response);
        if (role == null) {
            return;
        }
        String nodeId = request.getNodeId();
        revokeMinted(m -> m.nodeId().equals(nodeId), "node_reregistered");
        String token = TokenCodec.mint(TokenType.NODE);
        Principal.Builder node = Principal.newBuilder()
                .setUserId(pat.getUserId())
                .setHandle(pat.getHandle())
                .setTokenId(UUID.randomUUID().toString())
                .setTokenName("node@" + request.getHostname())
                .setTokenKind(TokenKind.TOKEN_KIND_NODE)
                .setNodeId(nodeId)
                .setProject(request.getProject());
        if (pat.hasExpiresAt()) {
            node.setExpiresAt(pat.getExpiresAt());
        }
        principals.put(token, node.build());
        minted.put(token, new Minted(nodeId, request.getProject(), pat.getUserId(), pat.getTokenId()));
        mints.incrementAndGet();
        response.onNext(MintNodeCredentialResponse.newBuilder()
                .setNodeCredential(token)
                .setPrincipal(node)
                .setRole(role)
                .build());
        response.onCompleted();
    }

    @Override
    public void revokeNodeCredentials(
            RevokeNodeCredentialsRequest request, StreamObserver<RevokeNodeCredentialsResponse> response) {
        String reason = request.getReason().isEmpty() ? "node_removed" : request.getReason();
        Revocations.Builder event = Revocations.newBuilder();
        List<String> ids = collectMinted(m -> m.nodeId().equals(request.getNodeId()), reason, event);
        if (!ids.isEmpty()) {
            push(event.build());
        }
        response.onNext(
                RevokeNodeCredentialsResponse.newBuilder().addAllTokenIds(ids).build());
        response.onCompleted();
    }

    /** The role when it is at least {@code minimum}; otherwise answers the refusal and returns null. */
    private <T> Role roleCheck(Principal p, String project, Role minimum, StreamObserver<T> response) {
        if (!project.matches("[^/]+/[^/]+")) {
            response.onError(Status.INVALID_ARGUMENT
                    .withDescription("write the project as OWNER/NAME")
                    .asRuntimeException());
            return null;
        }
        Role role = roles.get(p.getUserId() + "|" + project);
        if (role == null) {
            response.onError(Status.NOT_FOUND
                    .withDescription("project " + project + " not found (or you are not a member)")
                    .asRuntimeException());
            return null;
        }
        if (role.getNumber() < minimum.getNumber()) {
            response.onError(Status.PERMISSION_DENIED
                    .withDescription("this needs the " + name(minimum) + " role or higher on " + project + "; you are "
                            + name(role))
                    .asRuntimeException());
            return null;
        }
        return role;
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
        Role role = roleCheck(p, request.getProject(), request.getMinimumRole(), response);
        if (role == null) {
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
