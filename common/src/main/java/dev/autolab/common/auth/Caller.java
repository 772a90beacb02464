package dev.autolab.common.auth;

import dev.autolab.common.error.Errors;
import io.grpc.Context;

/**
 * The authenticated caller of the current gRPC call, as {@link BearerAuthInterceptor} found it.
 *
 * <p>The gRPC {@link Context} is attached only while the service method is entered, not across the
 * asynchronous steps after it: read the caller at the top of a method and pass it on explicitly.
 */
public final class Caller {
    static final Context.Key<Principal> KEY = Context.key("autolab-principal");
    static final Context.Key<String> TOKEN = Context.key("autolab-bearer-token");

    private Caller() {}

    /** The caller; UNAUTHENTICATED if the method was reached without a credential. */
    public static Principal current() {
        Principal p = KEY.get();
        if (p == null) {
            throw Errors.unauthenticated(
                    "this call needs a credential: sign in with `autolab login` or set AUTOLAB_TOKEN");
        }
        return p;
    }

    /** The caller, or {@code null} on a public method called without a credential. */
    public static Principal currentOrNull() {
        return KEY.get();
    }

    /** The bearer token the call came with, for services that must pass it on (e.g. Authorize). */
    public static String bearerToken() {
        return TOKEN.get();
    }
}
