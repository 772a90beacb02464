package dev.autolab.common.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Clock;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.autolab.common.token.TokenCodec;
import dev.autolab.common.token.TokenType;
import dev.autolab.proto.auth.v1.AuthorizeRequest;
import dev.autolab.proto.auth.v1.AuthorizeResponse;
import dev.autolab.proto.auth.v1.InternalAuthServiceGrpc;
import dev.autolab.proto.auth.v1.TokenKind;
import dev.autolab.proto.auth.v1.ValidateTokenRequest;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.smallrye.mutiny.Uni;

/**
 * Which credential reaches which method, through a real (in-process) gRPC server: node credentials
 * only the node-facing methods, and those only node credentials.
 */
class BearerAuthInterceptorTest {
    private Server server;
    private ManagedChannel channel;

    /** Answers with the caller's token kind, so a test sees who got through. */
    private static final class Echo extends InternalAuthServiceGrpc.InternalAuthServiceImplBase {
        @Override
        public void validateToken(
                ValidateTokenRequest request, StreamObserver<dev.autolab.proto.auth.v1.Principal> out) {
            out.onNext(Caller.current().toProto());
            out.onCompleted();
        }

        @Override
        public void authorize(AuthorizeRequest request, StreamObserver<AuthorizeResponse> out) {
            out.onNext(AuthorizeResponse.newBuilder()
                    .setPrincipal(Caller.current().toProto())
                    .build());
            out.onCompleted();
        }
    }

    @BeforeEach
    void start() throws Exception {
        // Here ValidateToken stands for a node-facing method and Authorize for an ordinary one.
        AccessPolicy policy = AccessPolicy.builder()
                .allow(MethodAccess.NODE, InternalAuthServiceGrpc.getValidateTokenMethod())
                .build();
        TokenValidator validator = token -> Uni.createFrom()
                .item(
                        switch (TokenCodec.typeOf(token)) {
                            case NODE ->
                                new Principal(
                                        "u1",
                                        "alice",
                                        "n1",
                                        "node",
                                        TokenKind.TOKEN_KIND_NODE,
                                        null,
                                        "node-1",
                                        "alice/nanochat");
                            case SESSION ->
                                new Principal(
                                        "u1", "alice", "s1", "browser session", TokenKind.TOKEN_KIND_SESSION, null);
                            case PERSONAL ->
                                new Principal("u1", "alice", "t1", "laptop", TokenKind.TOKEN_KIND_PAT, null);
                        });
        BearerAuthInterceptor interceptor = new BearerAuthInterceptor(policy, validator, Clock.systemUTC()) {};
        String name = InProcessServerBuilder.generateName();
        server = InProcessServerBuilder.forName(name)
                .directExecutor()
                .addService(ServerInterceptors.intercept(new Echo(), interceptor))
                .build()
                .start();
        channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    }

    @AfterEach
    void stop() throws Exception {
        channel.shutdownNow();
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    private InternalAuthServiceGrpc.InternalAuthServiceBlockingStub as(TokenType type) {
        Metadata headers = new Metadata();
        headers.put(BearerAuthInterceptor.AUTHORIZATION, "Bearer " + TokenCodec.mint(type));
        return InternalAuthServiceGrpc.newBlockingStub(channel)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    private static Status refusal(Runnable call) {
        return assertThrows(StatusRuntimeException.class, call::run).getStatus();
    }

    @Test
    void aNodeCredentialReachesNodeFacingMethodsWithItsNodeAndProject() {
        var principal = as(TokenType.NODE).validateToken(ValidateTokenRequest.getDefaultInstance());
        assertEquals(TokenKind.TOKEN_KIND_NODE, principal.getTokenKind());
        assertEquals("node-1", principal.getNodeId());
        assertEquals("alice/nanochat", principal.getProject());
    }

    @Test
    void aNodeCredentialCannotMakeAnyOtherCall() {
        Status s = refusal(() -> as(TokenType.NODE).authorize(AuthorizeRequest.getDefaultInstance()));
        assertEquals(Status.Code.PERMISSION_DENIED, s.getCode());
        assertEquals("a node credential cannot make this call; use a personal access token", s.getDescription());
    }

    @Test
    void nodeFacingMethodsRefuseTokensAndSessions() {
        for (TokenType type : new TokenType[] {TokenType.PERSONAL, TokenType.SESSION}) {
            Status s = refusal(() -> as(type).validateToken(ValidateTokenRequest.getDefaultInstance()));
            assertEquals(Status.Code.PERMISSION_DENIED, s.getCode(), type.name());
            assertEquals(
                    "this call is for execution nodes and needs a node credential (`autolab serve` gets one "
                            + "when it registers)",
                    s.getDescription());
        }
    }

    @Test
    void noCredentialIsUnauthenticated() {
        Status s = refusal(() ->
                InternalAuthServiceGrpc.newBlockingStub(channel).authorize(AuthorizeRequest.getDefaultInstance()));
        assertEquals(Status.Code.UNAUTHENTICATED, s.getCode());
    }
}
