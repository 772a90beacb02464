package dev.autolab.auth.api;

import jakarta.inject.Inject;

import com.google.protobuf.Empty;

import dev.autolab.auth.session.SessionService;
import dev.autolab.common.auth.Caller;
import dev.autolab.proto.auth.v1.CreateSessionRequest;
import dev.autolab.proto.auth.v1.DeleteSessionRequest;
import dev.autolab.proto.auth.v1.MutinySessionServiceGrpc;
import dev.autolab.proto.auth.v1.Session;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Uni;

@GrpcService
public class SessionGrpc extends MutinySessionServiceGrpc.SessionServiceImplBase {
    @Inject
    SessionService sessions;

    @Override
    public Uni<Session> createSession(CreateSessionRequest request) {
        String address = ClientAddress.current();
        return sessions.signIn(request.getHandle(), request.getPassword(), address)
                .map(signedIn -> Session.newBuilder()
                        .setToken(signedIn.session().secret())
                        .setExpiresAt(Protos.timestamp(signedIn.session().credential().expiresAt))
                        .setUser(Protos.user(signedIn.user()))
                        .build());
    }

    @Override
    public Uni<Empty> deleteSession(DeleteSessionRequest request) {
        return sessions.signOut(Caller.current()).replaceWith(Empty.getDefaultInstance());
    }
}
