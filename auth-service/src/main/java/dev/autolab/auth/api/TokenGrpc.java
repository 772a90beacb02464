package dev.autolab.auth.api;

import jakarta.inject.Inject;

import dev.autolab.auth.token.TokenService;
import dev.autolab.common.auth.Caller;
import dev.autolab.proto.auth.v1.CreateTokenRequest;
import dev.autolab.proto.auth.v1.CreateTokenResponse;
import dev.autolab.proto.auth.v1.ListTokensRequest;
import dev.autolab.proto.auth.v1.ListTokensResponse;
import dev.autolab.proto.auth.v1.MutinyTokenServiceGrpc;
import dev.autolab.proto.auth.v1.RevokeTokenRequest;
import dev.autolab.proto.auth.v1.Token;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Uni;

@GrpcService
public class TokenGrpc extends MutinyTokenServiceGrpc.TokenServiceImplBase {
    @Inject
    TokenService tokens;

    @Override
    public Uni<CreateTokenResponse> createToken(CreateTokenRequest request) {
        return tokens.createPat(Caller.current(), request.getName(), request.getExpiresInDays())
                .map(minted -> CreateTokenResponse.newBuilder()
                        .setToken(Protos.token(minted.credential()))
                        .setSecret(minted.secret())
                        .build());
    }

    @Override
    public Uni<ListTokensResponse> listTokens(ListTokensRequest request) {
        return tokens.list(Caller.current(), request.getAll())
                .map(list -> ListTokensResponse.newBuilder()
                        .addAllTokens(list.stream().map(Protos::token).toList())
                        .build());
    }

    @Override
    public Uni<Token> revokeToken(RevokeTokenRequest request) {
        return tokens.revoke(Caller.current(), request.getRef()).map(Protos::token);
    }
}
