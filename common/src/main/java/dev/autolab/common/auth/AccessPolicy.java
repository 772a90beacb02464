package dev.autolab.common.auth;

import java.util.HashMap;
import java.util.Map;

import io.grpc.MethodDescriptor;

/**
 * Per-method credential rules of one service. Methods not named here need a personal access token;
 * gRPC health and reflection are public.
 */
public final class AccessPolicy {
    private final Map<String, MethodAccess> byMethod;

    private AccessPolicy(Map<String, MethodAccess> byMethod) {
        this.byMethod = Map.copyOf(byMethod);
    }

    public MethodAccess accessFor(String fullMethodName) {
        MethodAccess explicit = byMethod.get(fullMethodName);
        if (explicit != null) {
            return explicit;
        }
        String service = MethodDescriptor.extractFullServiceName(fullMethodName);
        if (service != null && (service.startsWith("grpc.health.") || service.startsWith("grpc.reflection."))) {
            return MethodAccess.PUBLIC;
        }
        return MethodAccess.TOKEN;
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private final Map<String, MethodAccess> byMethod = new HashMap<>();

        public Builder allow(MethodAccess access, MethodDescriptor<?, ?>... methods) {
            for (MethodDescriptor<?, ?> m : methods) {
                byMethod.put(m.getFullMethodName(), access);
            }
            return this;
        }

        public AccessPolicy build() {
            return new AccessPolicy(byMethod);
        }
    }
}
