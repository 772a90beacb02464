package dev.autolab.cli.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

class CredentialsFileTest {

    @Test
    void homeIsTheShellsNotThePasswordDatabases() {
        assertEquals(
                Path.of("/tmp/ci-home/.config/autolab/credentials.json"),
                CredentialsFile.fromEnvironment(Map.of("HOME", "/tmp/ci-home")).path());
    }

    @Test
    void xdgConfigHomeComesFirst() {
        assertEquals(
                Path.of("/x/autolab/credentials.json"),
                CredentialsFile.fromEnvironment(Map.of("HOME", "/tmp/ci-home", "XDG_CONFIG_HOME", "/x"))
                        .path());
    }
}
