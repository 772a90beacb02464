package dev.autolab.auth.api;

import java.time.Instant;

import com.google.protobuf.Timestamp;

import dev.autolab.auth.project.ProjectService;
import dev.autolab.auth.token.Credential;
import dev.autolab.auth.user.User;
import dev.autolab.proto.auth.v1.Member;
import dev.autolab.proto.auth.v1.Project;
import dev.autolab.proto.auth.v1.Token;

/** Domain objects to their wire form. */
final class Protos {
    private Protos() {}

    static Timestamp timestamp(Instant instant) {
        return Timestamp.newBuilder()
                .setSeconds(instant.getEpochSecond())
                .setNanos(instant.getNano())
                .build();
    }

    static dev.autolab.proto.auth.v1.User user(User u) {
        return dev.autolab.proto.auth.v1.User.newBuilder()
                .setHandle(u.handle)
                .setDisplayName(u.displayName)
                .setEmail(u.email)
                .setCreatedAt(timestamp(u.createdAt))
                .build();
    }

    static Token token(Credential c) {
        Token.Builder b = Token.newBuilder()
                .setId(c.id.toString())
                .setName(c.name)
                .setKind(c.kind.toProto())
                .setCreatedAt(timestamp(c.createdAt));
        if (c.lastUsedAt != null) {
            b.setLastUsedAt(timestamp(c.lastUsedAt));
        }
        if (c.expiresAt != null) {
            b.setExpiresAt(timestamp(c.expiresAt));
        }
        if (c.revokedAt != null) {
            b.setRevokedAt(timestamp(c.revokedAt)).setRevokedReason(c.revokedReason == null ? "" : c.revokedReason);
        }
        return b.build();
    }

    static Project project(ProjectService.ProjectView view) {
        return Project.newBuilder()
                .setName(view.fullName())
                .setOwner(view.ownerHandle())
                .setRole(view.callerRole().toProto())
                .setCreatedAt(timestamp(view.project().createdAt))
                .build();
    }

    static Member member(ProjectService.MemberView m) {
        return Member.newBuilder()
                .setHandle(m.handle())
                .setDisplayName(m.displayName())
                .setRole(m.role().toProto())
                .setAddedAt(timestamp(m.addedAt()))
                .build();
    }
}
