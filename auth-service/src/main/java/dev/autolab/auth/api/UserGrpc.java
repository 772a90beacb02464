package dev.autolab.auth.api;

import java.util.UUID;

import jakarta.inject.Inject;

import dev.autolab.auth.project.ProjectService;
import dev.autolab.auth.project.Role;
import dev.autolab.auth.user.UserService;
import dev.autolab.common.auth.Caller;
import dev.autolab.common.auth.Principal;
import dev.autolab.common.error.AutolabException;
import dev.autolab.proto.auth.v1.CreateUserRequest;
import dev.autolab.proto.auth.v1.MutinyUserServiceGrpc;
import dev.autolab.proto.auth.v1.Token;
import dev.autolab.proto.auth.v1.User;
import dev.autolab.proto.auth.v1.WhoAmIRequest;
import dev.autolab.proto.auth.v1.WhoAmIResponse;
import io.grpc.Status;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Uni;

@GrpcService
public class UserGrpc extends MutinyUserServiceGrpc.UserServiceImplBase {
    @Inject
    UserService users;

    @Inject
    ProjectService projects;

    @Override
    public Uni<User> createUser(CreateUserRequest request) {
        return users.signUp(new UserService.SignUp(
                        request.getHandle(), request.getPassword(), request.getEmail(), request.getDisplayName()))
                .map(Protos::user);
    }

    @Override
    public Uni<WhoAmIResponse> whoAmI(WhoAmIRequest request) {
        Principal caller = Caller.current();
        Token.Builder token = Token.newBuilder()
                .setId(caller.tokenId())
                .setName(caller.tokenName())
                .setKind(caller.kind());
        if (caller.expiresAt() != null) {
            token.setExpiresAt(Protos.timestamp(caller.expiresAt()));
        }
        Uni<dev.autolab.proto.auth.v1.Role> role = request.getProject().isEmpty()
                ? Uni.createFrom().item(dev.autolab.proto.auth.v1.Role.ROLE_UNSPECIFIED)
                : projects.authorize(caller, request.getProject(), Role.VIEWER)
                        .map(Role::toProto)
                        .onFailure(t -> t instanceof AutolabException e && e.code() == Status.Code.NOT_FOUND)
                        .recoverWithItem(dev.autolab.proto.auth.v1.Role.ROLE_UNSPECIFIED);
        return users.byId(UUID.fromString(caller.userId()))
                .chain(user -> role.map(r -> WhoAmIResponse.newBuilder()
                        .setUser(Protos.user(user))
                        .setToken(token)
                        .setProject(request.getProject())
                        .setRole(r)
                        .build()));
    }
}
