package dev.autolab.auth.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.autolab.common.error.AutolabException;
import io.grpc.Status;

/** The registry itself: the CLI is always there, configuration adds (or renames), bad ids stop the start. */
class DeviceClientsRegistryTest {
    @Test
    void theCliIsRegisteredWithoutAnyConfiguration() {
        DeviceClients clients = new DeviceClients(Map.of());
        assertEquals(new DeviceClients.Client("autolab-cli", "Autolab CLI"), clients.resolve("autolab-cli"));
        assertEquals(new DeviceClients.Client("autolab-cli", "Autolab CLI"), clients.resolve(""));
        assertEquals(new DeviceClients.Client("autolab-cli", "Autolab CLI"), clients.resolve(null));
    }

    @Test
    void configurationAddsClientsAndABlankNameIsTheId() {
        DeviceClients clients = new DeviceClients(Map.of("ci-runner", " ", "vim-plugin", " Vim plugin "));
        assertEquals("ci-runner", clients.resolve("ci-runner").name());
        assertEquals("Vim plugin", clients.resolve("vim-plugin").name());
        AutolabException unknown = assertThrows(AutolabException.class, () -> clients.resolve("Vim-plugin"));
        assertEquals(Status.Code.INVALID_ARGUMENT, unknown.code());
        assertEquals("invalid_client", unknown.reason());
    }

    @Test
    void aClientIdThatCouldNotBeSentIsRefusedAtStart() {
        IllegalArgumentException bad =
                assertThrows(IllegalArgumentException.class, () -> new DeviceClients(Map.of("my editor", "x")));
        assertEquals(
                "autolab.auth.device.clients: \"my editor\" is not a client id: use 1-64 letters, digits, '.', '_' or"
                        + " '-'",
                bad.getMessage());
    }

    @Test
    void aGrantOfAClientUnregisteredSinceIsShownByItsId() {
        assertEquals("old-tool", new DeviceClients(Map.of()).nameOf("old-tool"));
    }
}
