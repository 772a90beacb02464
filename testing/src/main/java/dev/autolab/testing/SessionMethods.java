package dev.autolab.testing;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.autolab.common.auth.AccessPolicy;
import dev.autolab.common.auth.MethodAccess;
import io.grpc.MethodDescriptor;
import io.grpc.ServiceDescriptor;

/**
 * The two sides of a service's "exactly these methods take a browser session" table, both keyed by full method
 * name and sorted, so that a mismatch reads as a diff: what the policy grants, and what the table expects.
 */
public final class SessionMethods {
    private SessionMethods() {}

    /** Every method of {@code services} that {@code policy} lets a session call, and how. */
    public static Map<String, MethodAccess> grantedBy(AccessPolicy policy, List<ServiceDescriptor> services) {
        Map<String, MethodAccess> granted = new TreeMap<>();
        for (ServiceDescriptor service : services) {
            for (MethodDescriptor<?, ?> method : service.getMethods()) {
                MethodAccess access = policy.accessFor(method.getFullMethodName());
                if (access == MethodAccess.SESSION || access == MethodAccess.TOKEN_OR_SESSION) {
                    granted.put(method.getFullMethodName(), access);
                }
            }
        }
        return granted;
    }

    /** A table written with method descriptors (the compiler checks each name), by full method name. */
    public static Map<String, MethodAccess> byName(Map<MethodDescriptor<?, ?>, MethodAccess> table) {
        Map<String, MethodAccess> expected = new TreeMap<>();
        table.forEach((method, access) -> expected.put(method.getFullMethodName(), access));
        return expected;
    }
}
