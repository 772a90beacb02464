package dev.autolab.auth.device;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import dev.autolab.auth.config.AuthConfig;
import dev.autolab.auth.user.Handles;
import dev.autolab.common.error.AutolabException;
import dev.autolab.common.error.Errors;
import io.grpc.Status;

/**
 * The OAuth 2.0 public clients registered for the device grant (RFC 8628 {@code client_id}): the built-in
 * {@code autolab-cli}, plus {@code autolab.auth.device.clients}. They live here, not in the gateway,
 * because auth-service is what records which client a device code was issued to, checks it when the code
 * is redeemed and names it on the approval page; every gateway replica then agrees without its own copy.
 */
@Singleton
public class DeviceClients {
    /** The Autolab CLI, always registered; an empty client id means it (the JSON routes send none). */
    public static final String CLI = "autolab-cli";

    private static final Pattern CLIENT_ID = Pattern.compile("^[A-Za-z0-9._-]{1,64}$");

    /** One registered client: its id and the name the approval page shows. */
    public record Client(String id, String name) {}

    private final Map<String, String> registered;

    @Inject
    public DeviceClients(AuthConfig config) {
        this(config.device().clients());
    }

    DeviceClients(Map<String, String> configured) {
        Map<String, String> all = new LinkedHashMap<>();
        all.put(CLI, "Autolab CLI");
        configured.forEach((id, name) -> {
            if (!CLIENT_ID.matcher(id).matches()) {
                throw new IllegalArgumentException("autolab.auth.device.clients: \"" + Handles.abbreviate(id)
                        + "\" is not a client id: use 1-64 letters, digits, '.', '_' or '-'");
            }
            all.put(id, name == null || name.isBlank() ? id : name.strip());
        });
        this.registered = Map.copyOf(all);
    }

    /** The registered client {@code clientId} names (empty: the CLI); {@code invalid_client} otherwise. */
    public Client resolve(String clientId) {
        String id = clientId == null || clientId.isEmpty() ? CLI : clientId;
        String name = registered.get(id);
        if (name == null) {
            throw invalidClient(id);
        }
        return new Client(id, name);
    }

    /** The name to show for a client a grant recorded, even if it was unregistered since. */
    public String nameOf(String clientId) {
        return registered.getOrDefault(clientId, clientId);
    }

    private static AutolabException invalidClient(String id) {
        return Errors.withReason(
                Status.Code.INVALID_ARGUMENT,
                "invalid_client",
                "invalid_client: no client \"" + Handles.abbreviate(id)
                        + "\" is registered with this Autolab; the Autolab CLI is " + CLI
                        + ", others are added with autolab.auth.device.clients");
    }
}
