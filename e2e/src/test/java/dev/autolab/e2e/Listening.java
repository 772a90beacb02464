package dev.autolab.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The addresses sockets listen on, from the kernel's own table (Linux /proc/net/tcp and tcp6). */
final class Listening {
    private static final String LISTEN = "0A";

    private Listening() {}

    /** Every local address with a listening TCP socket on {@code port}, as the kernel prints it (hex). */
    static List<String> addresses(int port) throws IOException {
        List<String> found = new ArrayList<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path path = Path.of(table);
            if (!Files.exists(path)) {
                continue;
            }
            for (String line : Files.readAllLines(path)) {
                String[] f = line.trim().split("\\s+");
                if (f.length < 4 || !f[3].equals(LISTEN)) {
                    continue;
                }
                String[] local = f[1].split(":");
                if (local.length == 2 && Integer.parseInt(local[1], 16) == port) {
                    found.add(local[0]);
                }
            }
        }
        return found;
    }

    /** 127.0.0.1 in /proc/net/tcp (little-endian), or ::1 / ::ffff:127.0.0.1 in /proc/net/tcp6. */
    static boolean isLoopback(String hex) {
        return hex.equals("0100007F")
                || hex.equals("00000000000000000000000001000000")
                || hex.equals("0000000000000000FFFF00000100007F");
    }
}
