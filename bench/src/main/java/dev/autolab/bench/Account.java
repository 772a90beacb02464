package dev.autolab.bench;

import java.util.concurrent.ThreadLocalRandom;

import dev.autolab.proto.auth.v1.CreateProjectRequest;
import dev.autolab.proto.auth.v1.CreateSessionRequest;
import dev.autolab.proto.auth.v1.CreateTokenRequest;
import dev.autolab.proto.auth.v1.CreateTokenResponse;
import dev.autolab.proto.auth.v1.CreateUserRequest;
import dev.autolab.proto.auth.v1.ProjectServiceGrpc;
import dev.autolab.proto.auth.v1.SessionServiceGrpc;
import dev.autolab.proto.auth.v1.TokenServiceGrpc;
import dev.autolab.proto.auth.v1.UserServiceGrpc;
import io.grpc.Channel;
import io.grpc.Metadata;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.MetadataUtils;

/** A new user signed up through the gateway (signup is open in the local suite), with a browser session. */
final class Account {
    private static final String PASSWORD = "benchmark password";

    final Channel channel;
    final String handle;
    final String session;

    private Account(Channel channel, String handle, String session) {
        this.channel = channel;
        this.handle = handle;
        this.session = session;
    }

    static Account signUp(Channel channel, String base) {
        String handle =
                base + "-" + Integer.toString(ThreadLocalRandom.current().nextInt(1 << 30), 36);
        UserServiceGrpc.newBlockingStub(channel)
                .createUser(CreateUserRequest.newBuilder()
                        .setHandle(handle)
                        .setPassword(PASSWORD)
                        .setEmail(handle + "@example.org")
                        .build());
        String session = SessionServiceGrpc.newBlockingStub(channel)
                .createSession(CreateSessionRequest.newBuilder()
                        .setHandle(handle)
                        .setPassword(PASSWORD)
                        .build())
                .getToken();
        return new Account(channel, handle, session);
    }

    /** A new PAT (its id and secret), made with the session. */
    CreateTokenResponse token(String name) {
        return as(TokenServiceGrpc.newBlockingStub(channel), session)
                .createToken(CreateTokenRequest.newBuilder().setName(name).build());
    }

    /** Creates {@code handle/name} and returns that full name. */
    String project(String pat, String name) {
        as(ProjectServiceGrpc.newBlockingStub(channel), pat)
                .createProject(CreateProjectRequest.newBuilder().setName(name).build());
        return handle + "/" + name;
    }

    static <S extends AbstractStub<S>> S as(S stub, String credential) {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + credential);
        return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }
}
