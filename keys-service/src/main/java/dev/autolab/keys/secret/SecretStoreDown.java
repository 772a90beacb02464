package dev.autolab.keys.secret;

import dev.autolab.common.error.AutolabException;
import dev.autolab.common.error.Errors;

/** The refusal when the secret store cannot be reached: UNAVAILABLE (HTTP 503), naming the store. */
public final class SecretStoreDown {
    private SecretStoreDown() {}

    public static AutolabException of(String store, String what) {
        return Errors.unavailable(store + " is unavailable (" + what + "); nothing was changed, try again shortly");
    }
}
