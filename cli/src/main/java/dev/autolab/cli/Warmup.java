package dev.autolab.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

import dev.autolab.cli.command.Terminal;

/**
 * The training run for the class-data-sharing archive that {@code bin/autolab} makes once per build
 * (JDK 17 {@code -XX:ArchiveClassesAtExit}): it runs the everyday commands against a canned
 * loopback server, with output thrown away, so that the classes they load (picocli's help, the
 * HTTP client, JSON, the credentials file, tables) are in the archive and the next runs map them
 * instead of loading them. Nothing leaves this machine; the temporary config folder is removed.
 */
public final class Warmup {
    private static final String REPLY = "{\"user\":{\"handle\":\"warmup\",\"displayName\":\"Warm Up\"},"
            + "\"token\":{\"id\":\"0123456789abcdef\",\"name\":\"login@warmup\",\"kind\":\"TOKEN_KIND_LOGIN\","
            + "\"createdAt\":\"2026-01-01T00:00:00Z\",\"expiresAt\":\"2027-01-01T00:00:00Z\"},\"role\":\"ROLE_OWNER\","
            + "\"tokens\":[{\"id\":\"0123456789abcdef\",\"name\":\"ci\",\"kind\":\"TOKEN_KIND_PAT\","
            + "\"createdAt\":\"2026-01-01T00:00:00Z\",\"lastUsedAt\":\"2026-02-01T00:00:00Z\"}],"
            + "\"projects\":[{\"name\":\"warmup/p\",\"role\":\"ROLE_OWNER\",\"createdAt\":\"2026-01-01T00:00:00Z\"}]}";

    private Warmup() {}

    public static void main(String[] args) throws Exception {
        Autolab.tunePicocli();
        // What a real run does before a command: the java launcher looks up Autolab.main (which
        // resolves the types of all its public methods), and main makes the system's terminal.
        Autolab.class.getMethod("main", String[].class);
        Terminal.system();
        Path config = Files.createTempDirectory("autolab-warmup");
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread answering = new Thread(() -> answer(server), "warmup-server");
            answering.setDaemon(true);
            answering.start();
            String host = "http://127.0.0.1:" + server.getLocalPort();
            Map<String, String> env = Map.of("XDG_CONFIG_HOME", config.toString(), "HOME", config.toString());
            PrintStream nowhere = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
            Terminal term = new Terminal(nowhere, nowhere, env);
            Autolab.run(term, "--help");
            Autolab.run(term, "--version");
            Autolab.run(term, "whoami", "--help");
            Autolab.run(term, "login", "--host", host, "--token", "al_warmup");
            Autolab.run(term, "whoami");
            Autolab.run(term, "token", "ls");
            Autolab.run(term, "token", "ls", "--json");
            Autolab.run(term, "project", "ls");
            Autolab.run(term, "whoami", "--host", "http://127.0.0.1:1");
            Autolab.run(term, "no-such-command");
        } finally {
            try (Stream<Path> files = Files.walk(config)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /**
     * Answers every request with the canned reply. Connections are kept open between requests, as
     * a real server keeps them, so that the client's keep-alive classes are in the archive too.
     */
    private static void answer(ServerSocket server) {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                Thread connection = new Thread(() -> converse(socket), "warmup-connection");
                connection.setDaemon(true);
                connection.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void converse(Socket socket) {
        byte[] body = REPLY.getBytes(StandardCharsets.UTF_8);
        byte[] head = ("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: " + body.length
                        + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        try (socket) {
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            while (readHead(in)) {
                out.write(head);
                out.write(body);
                out.flush();
            }
        } catch (IOException e) {
            // the client went away
        }
    }

    /**
     * Reads up to the blank line after the headers, and the body when it says how long it is; false
     * when the client closed the connection instead.
     */
    private static boolean readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        int c;
        while ((c = in.read()) != -1) {
            head.append((char) c);
            if (head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n")) {
                break;
            }
        }
        if (c == -1) {
            return false;
        }
        for (String line : head.toString().split("\r\n")) {
            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                in.readNBytes(Integer.parseInt(line.substring(15).trim()));
            }
        }
        return true;
    }
}
