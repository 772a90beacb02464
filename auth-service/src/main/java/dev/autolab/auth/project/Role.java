package dev.autolab.auth.project;

import java.util.Locale;

import dev.autolab.common.error.Errors;

/** Project roles, weakest first: each includes what the ones before it may do. */
public enum Role {
    VIEWER(dev.autolab.proto.auth.v1.Role.ROLE_VIEWER),
    RESEARCHER(dev.autolab.proto.auth.v1.Role.ROLE_RESEARCHER),
    ADMIN(dev.autolab.proto.auth.v1.Role.ROLE_ADMIN),
    OWNER(dev.autolab.proto.auth.v1.Role.ROLE_OWNER);

    private final dev.autolab.proto.auth.v1.Role proto;

    Role(dev.autolab.proto.auth.v1.Role proto) {
        this.proto = proto;
    }

    public boolean atLeast(Role other) {
        return compareTo(other) >= 0;
    }

    public dev.autolab.proto.auth.v1.Role toProto() {
        return proto;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Role fromProto(dev.autolab.proto.auth.v1.Role role) {
        for (Role r : values()) {
            if (r.proto == role) {
                return r;
            }
        }
        throw Errors.invalidArgument("a role is required: viewer, researcher or admin");
    }
}
