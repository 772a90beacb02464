package dev.autolab.cli.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.autolab.cli.Autolab;
import dev.autolab.cli.command.Terminal;
import dev.autolab.proto.nodes.v1.RegisterNodeRequest;
import io.grpc.Status;

/**
 * {@code autolab serve} against a fake node-registry (a real gRPC server): what it registers, where
 * it keeps the node credential, how it reconnects, and how each way of ending ends.
 */
class ServeTest {
    private static final String PAT = "al_patFORtheTEST0123456789abcdefghijkl";
    private static final String RAW_MACHINE_ID = "0123456789abcdef0123456789abcdef";

    private FakeNodeAgent registry;
    private Path home;
    private Path state;
    private FastPacing pacing;
    private volatile IntSupplier signalHandler;
    private volatile boolean signalHandlerRemoved;
    private final ExecutorService runner = Executors.newCachedThreadPool();

    @BeforeEach
    void start() throws Exception {
        registry = new FakeNodeAgent();
        home = Files.createTempDirectory("autolab-serve-test");
        state = home.resolve("state");
        pacing = new FastPacing();
        Path root = home.resolve("root");
        Files.createDirectories(root.resolve("etc"));
        Files.createDirectories(root.resolve("proc"));
        Files.writeString(root.resolve("etc/machine-id"), RAW_MACHINE_ID + "\n");
        Files.writeString(root.resolve("proc/meminfo"), "MemTotal:       32653772 kB\nMemFree:  1000 kB\n");
        Path bin = Files.createDirectories(home.resolve("bin"));
        Path smi = bin.resolve("nvidia-smi");
        Files.writeString(smi, "#!/bin/sh\necho 'NVIDIA H100 80GB HBM3, 81559'\n");
        Files.setPosixFilePermissions(smi, PosixFilePermissions.fromString("rwx------"));
    }

    @AfterEach
    void stop() {
        runner.shutdownNow();
        registry.close();
    }

    record Run(int exit, String out, String err) {}

    /** A {@code serve} running in the background. */
    final class Serving {
        final Future<Integer> exit;
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();

        Serving(Map<String, String> env, boolean interactive, String... args) {
            Terminal term = new Terminal(
                    new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8),
                    env);
            LocalMachine local = new LocalMachine(
                    Clock.fixed(FakeNodeAgent.LEASE_UNTIL.minusSeconds(30), ZoneOffset.UTC),
                    home.resolve("root"),
                    interactive,
                    true,
                    pacing,
                    onStop -> {
                        signalHandler = onStop;
                        signalHandlerRemoved = false;
                        return () -> signalHandlerRemoved = true;
                    },
                    new Random(7));
            exit = runner.submit(() -> Autolab.run(term, local, args));
        }

        Run await() throws Exception {
            int code = exit.get(20, TimeUnit.SECONDS);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        }

        /** SIGINT or SIGTERM: what the shutdown hook does; returns the exit code it would end the JVM with. */
        int signal() throws Exception {
            return runner.submit(() -> signalHandler.getAsInt()).get(20, TimeUnit.SECONDS);
        }

        String err() {
            return err.toString(StandardCharsets.UTF_8);
        }
    }

    private Map<String, String> env(boolean withToken) {
        Map<String, String> env = new HashMap<>();
        env.put("AUTOLAB_HOST", registry.url());
        env.put("HOME", home.toString());
        env.put("XDG_CONFIG_HOME", home.resolve("config").toString());
        env.put("XDG_STATE_HOME", state.toString());
        env.put("PATH", home.resolve("bin").toString());
        if (withToken) {
            env.put("AUTOLAB_TOKEN", PAT);
        }
        return env;
    }

    private Serving serve(boolean withToken, String... extra) {
        String[] args = new String[extra.length + 3];
        args[0] = "serve";
        args[1] = "--project";
        args[2] = "alice/nanochat";
        System.arraycopy(extra, 0, args, 3, extra.length);
        return new Serving(env(withToken), false, args);
    }

    /** Waits (10 s at most) for something the other side does, not for time to pass. */
    private static void eventually(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no " + what + " within 10 s");
            }
            Thread.sleep(1);
        }
    }

    private Path credentialFile() {
        return new NodeStateStore(state.resolve("autolab")).fileFor(registry.url(), "alice/nanochat");
    }

    /** Runs serve until connected, then stops it: leaves a stored credential behind. */
    private void registerOnce() throws Exception {
        Serving first = serve(true);
        registry.nextStream();
        assertEquals(0, first.signal());
        assertEquals(0, first.await().exit());
    }

    @Test
    void registersWhatTheMachineHasAndKeepsOnlyTheNodeCredentialOwnerOnly() throws Exception {
        registry.heartbeatSeconds = 7;
        Serving s = serve(true, "--name", "gpu-box", "--label", "zone=eu", "--label", "spot=true");
        FakeNodeAgent.Stream stream = registry.nextStream();

        RegisterNodeRequest r = registry.registrations.get(0);
        assertEquals("alice/nanochat", r.getProject());
        assertEquals("gpu-box", r.getHostname());
        assertEquals(Map.of("zone", "eu", "spot", "true"), r.getLabelsMap());
        assertEquals(
                Runtime.getRuntime().availableProcessors(), r.getResources().getCpus());
        assertEquals(32653772L * 1024, r.getResources().getMemoryBytes());
        assertEquals(1, r.getResources().getGpusCount());
        assertEquals("NVIDIA H100 80GB HBM3", r.getResources().getGpus(0).getModel());
        assertEquals(81559L * 1024 * 1024, r.getResources().getGpus(0).getMemoryBytes());
        assertEquals(MachineProbe.appSpecific(RAW_MACHINE_ID), r.getMachineId(), "stable, from /etc/machine-id");
        assertFalse(r.getMachineId().contains(RAW_MACHINE_ID), "the confidential id itself never leaves");
        assertEquals("Bearer " + PAT, registry.registrationAuth.get(0), "registers with the PAT");
        assertEquals("Bearer aln_fake1", stream.auth, "connects with the node credential");

        Path file = credentialFile();
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
        String stored = Files.readString(file);
        assertTrue(stored.contains("aln_fake1"), stored);
        assertFalse(stored.contains(PAT), "the PAT is never stored: " + stored);
        assertFalse(
                Files.list(file.getParent())
                        .anyMatch(f -> f.getFileName().toString().endsWith(".tmp")),
                "no temporary file left behind");

        eventually(() -> stream.heartbeats.get() >= 2, "heartbeats");
        assertTrue(
                s.err().contains("Registered node " + FakeNodeAgent.NODE_ID + " (gpu-box) with alice/nanochat"),
                s.err());
        assertFalse(s.err().contains(PAT) || s.err().contains("aln_fake1"), "no secret printed: " + s.err());
        assertEquals(0, s.signal());
        assertTrue(stream.halfClosed(), "the stream is half-closed, not cut");
        Run run = s.await();
        assertEquals(0, run.exit(), run.toString());
        assertTrue(run.err().endsWith("disconnected\n"), run.err());
        assertTrue(signalHandlerRemoved, "the shutdown hook is removed once serve is done");
        assertTrue(Files.exists(file), "a clean stop keeps the credential for the next start");
    }

    @Test
    void aRestartReconnectsWithTheStoredCredentialAndNeedsNoToken() throws Exception {
        registry.heartbeatSeconds = 7;
        registerOnce();
        pacing.waits.clear();
        Serving again = serve(false);
        FakeNodeAgent.Stream stream = registry.nextStream();
        eventually(() -> stream.heartbeats.get() >= 1, "a heartbeat");
        assertTrue(pacing.waits.contains(Duration.ofSeconds(7)), "the stored interval: " + pacing.waits);
        assertEquals("Bearer aln_fake1", stream.auth);
        assertEquals(1, registry.registrations.size(), "no second registration");
        assertEquals(0, again.signal());
        Run run = again.await();
        assertEquals(0, run.exit(), run.toString());
        assertTrue(run.err().contains("connecting with its stored credential"), run.err());
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "token_revoked|the token that registered this node was revoked; run `autolab serve` again with a valid"
                        + " token",
                "role_lost|your role on alice/nanochat no longer allows running a node there (researcher or above is"
                        + " needed)",
                "node_removed|this node was removed from alice/nanochat (`autolab nodes rm`)",
                "node_reregistered|this machine was registered again with alice/nanochat",
                "credential_invalid|this node's credential stopped working",
                "some\u001b[2Jthing_new|the control plane disconnected this node: cut\\x0d (reason \"some\\x1b[2Jthing_new\")"
            })
    void aDisconnectEndsServeWithTheReasonExit1AndForgetsTheDeadCredential(String reason, String words)
            throws Exception {
        Serving s = serve(true);
        FakeNodeAgent.Stream stream = registry.nextStream();
        assertTrue(Files.exists(credentialFile()));
        stream.disconnect(reason, "cut\r");
        Run run = s.await();
        assertEquals(1, run.exit(), run.toString());
        assertTrue(run.err().contains("error: " + words), run.err());
        assertFalse(Files.exists(credentialFile()), "the dead credential is deleted");
        assertEquals(List.of(), pacing.backoffs, "no reconnect");
    }

    @Test
    void aCredentialAnotherServeStoredMeanwhileIsNotDeleted() throws Exception {
        Serving s = serve(true);
        FakeNodeAgent.Stream stream = registry.nextStream();
        NodeStateStore store = new NodeStateStore(state.resolve("autolab"));
        StoredNode newer = store.load(registry.url(), "alice/nanochat");
        newer.credential = "aln_fromTheOtherServe";
        store.save(newer);
        stream.disconnect("node_reregistered", "registered again");
        Run run = s.await();
        assertEquals(1, run.exit(), run.toString());
        assertEquals("aln_fromTheOtherServe", store.load(registry.url(), "alice/nanochat").credential);
    }

    @Test
    void newLabelsRegisterAgainWhenATokenIsThere() throws Exception {
        registerOnce();
        Serving s = serve(true, "--label", "zone=eu");
        FakeNodeAgent.Stream stream = registry.nextStream();
        assertEquals(2, registry.registrations.size());
        assertEquals(Map.of("zone", "eu"), registry.registrations.get(1).getLabelsMap());
        assertEquals(
                registry.registrations.get(0).getMachineId(),
                registry.registrations.get(1).getMachineId(),
                "the same machine");
        assertEquals("Bearer aln_fake2", stream.auth);
        assertEquals(0, s.signal());
        assertEquals(0, s.await().exit());
    }

    @Test
    void anExpiredLeaseReconnectsWithTheSameCredential() throws Exception {
        Serving s = serve(true);
        registry.nextStream().disconnect("lease_expired", "no heartbeat within 30s");
        FakeNodeAgent.Stream second = registry.nextStream();
        assertEquals("Bearer aln_fake1", second.auth);
        assertEquals(1, registry.registrations.size());
        assertEquals(List.of(Duration.ofSeconds(1)), pacing.backoffs);
        assertTrue(Files.exists(credentialFile()));
        assertEquals(0, s.signal());
        assertEquals(0, s.await().exit());
    }

    @Test
    void dropsReconnectWithAGrowingJitteredBackoffThatResetsOnceOnline() throws Exception {
        Serving s = serve(true);
        FakeNodeAgent.Stream first = registry.nextStream();
        for (int i = 0; i < 6; i++) {
            registry.connectRefusals.add(Status.UNAVAILABLE.withDescription("node-registry is unavailable"));
        }
        first.fail(Status.UNAVAILABLE.withDescription("connection reset"));
        FakeNodeAgent.Stream back = registry.nextStream();
        assertEquals("Bearer aln_fake1", back.auth);
        List<Duration> waits = List.copyOf(pacing.backoffs);
        assertEquals(7, waits.size(), waits.toString());
        long[][] bounds = {{1, 1}, {1, 2}, {2, 4}, {4, 8}, {8, 16}, {15, 30}, {15, 30}};
        for (int i = 0; i < waits.size(); i++) {
            long ms = waits.get(i).toMillis();
            assertTrue(ms >= bounds[i][0] * 1000 && ms <= bounds[i][1] * 1000, i + ": " + waits);
        }
        back.close(); // the registry ends the stream without a word: a drop
        registry.nextStream();
        assertEquals(Duration.ofSeconds(1), pacing.backoffs.get(7), "back to 1 s after being online");
        assertEquals(0, s.signal());
        Run run = s.await();
        assertEquals(0, run.exit(), run.toString());
        assertTrue(run.err().contains("offline (unavailable: node-registry is unavailable)"), run.err());
        assertEquals(
                1,
                run.err().split("offline \\(unavailable: node-registry is unavailable\\)", -1).length - 1,
                "a log line when the state changes, not one per attempt: " + run.err());
        assertEquals(1, run.err().split("connecting  ", -1).length - 1, run.err());
    }

    @Test
    void aStopDuringTheBackoffEndsCleanly() throws Exception {
        Serving s = serve(true);
        FakeNodeAgent.Stream first = registry.nextStream();
        for (int i = 0; i < 1000; i++) {
            registry.connectRefusals.add(Status.UNAVAILABLE.withDescription("down"));
        }
        first.fail(Status.UNAVAILABLE);
        eventually(() -> pacing.backoffs.size() >= 3, "three reconnect attempts");
        assertEquals(0, s.signal());
        Run run = s.await();
        assertEquals(0, run.exit(), run.toString());
        assertTrue(run.err().endsWith("disconnected\n"), run.err());
    }

    @Test
    void aRefusedStoredCredentialRegistersAgainWhenATokenIsThere() throws Exception {
        registerOnce();
        registry.connectRefusals.add(Status.UNAUTHENTICATED.withDescription("the node credential is revoked"));
        Serving s = serve(true);
        FakeNodeAgent.Stream stream = registry.nextStream();
        assertEquals(List.of("Bearer aln_fake1"), registry.refusedAuth);
        assertEquals(2, registry.registrations.size());
        assertEquals("Bearer aln_fake2", stream.auth);
        assertTrue(Files.readString(credentialFile()).contains("aln_fake2"));
        assertTrue(
                s.err()
                        .contains("The stored node credential was refused (the node credential is revoked); "
                                + "registering again."),
                s.err());
        assertEquals(0, s.signal());
        assertEquals(0, s.await().exit());
    }

    @Test
    void aRefusedStoredCredentialWithoutATokenSaysToLogIn() throws Exception {
        registerOnce();
        registry.connectRefusals.add(Status.UNAUTHENTICATED.withDescription("the node credential is revoked"));
        Run run = serve(false).await();
        assertEquals(1, run.exit(), run.toString());
        assertTrue(
                run.err()
                        .contains("refused this node's credential (the node credential is revoked); log in with "
                                + "`autolab login` (or set AUTOLAB_TOKEN) and run `autolab serve` again"),
                run.err());
        assertFalse(Files.exists(credentialFile()));
        assertEquals(1, registry.registrations.size());
    }

    @Test
    void aRefusedRegistrationSaysWhyAndExits1() throws Exception {
        registry.registrationRefusal = Status.PERMISSION_DENIED.withDescription(
                "registering a node of alice/nanochat needs the researcher role or above; you are viewer");
        Run run = serve(true).await();
        assertEquals(1, run.exit(), run.toString());
        assertEquals(
                "error: registering a node of alice/nanochat needs the researcher role or above; you are viewer\n",
                run.err());
        assertFalse(Files.exists(credentialFile()));
        assertNull(registry.streams.poll());
    }

    @Test
    void anUnreachableHostAtTheFirstRegistrationIsExit3() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        Map<String, String> env = env(true);
        env.put("AUTOLAB_HOST", "http://127.0.0.1:" + port);
        Run run = new Serving(env, false, "serve", "--project", "alice/nanochat").await();
        assertEquals(3, run.exit(), run.toString());
        assertTrue(
                run.err().startsWith("error: cannot reach http://127.0.0.1:" + port + " (connection refused)"),
                run.err());
    }

    @Test
    void noTokenAndNoStoredCredentialSaysToLogIn() throws Exception {
        Run run = serve(false).await();
        assertEquals(2, run.exit(), run.toString());
        assertTrue(run.err().startsWith("error: not logged in to " + registry.url()), run.err());
        assertEquals(List.of(), registry.registrations);
    }

    @Test
    void aLabelThatIsNotKeyEqualsValueIsAUsageError() throws Exception {
        Run run = serve(true, "--label", "zone").await();
        assertEquals(2, run.exit(), run.toString());
        assertTrue(run.err().contains("--label takes KEY=VALUE"), run.err());
        assertEquals(List.of(), registry.registrations);
    }

    @Test
    void aCredentialFileOthersCanReadIsRefused() throws Exception {
        registerOnce();
        Files.setPosixFilePermissions(credentialFile(), PosixFilePermissions.fromString("rw-r--r--"));
        Run run = serve(false).await();
        assertEquals(4, run.exit(), run.toString());
        assertTrue(run.err().contains("others may read it"), run.err());
    }

    @Test
    void onATerminalTheStatusLineIsRewrittenInPlace() throws Exception {
        Serving s = new Serving(env(true), true, "serve", "--project", "alice/nanochat");
        FakeNodeAgent.Stream stream = registry.nextStream();
        eventually(() -> stream.heartbeats.get() >= 2, "heartbeats");
        assertEquals(0, s.signal());
        Run run = s.await();
        assertTrue(
                run.err().contains("\r\u001b[2K● online  alice/nanochat  node 1a2b3c4d  lease until 14:03:10"),
                run.err());
        assertTrue(run.err().endsWith("\r\u001b[2Kdisconnected\n"), "the status line is cleared: " + run.err());
    }

    @Test
    void withoutATerminalOnlyChangesAreLogged() throws Exception {
        Serving s = serve(true);
        FakeNodeAgent.Stream stream = registry.nextStream();
        eventually(() -> stream.heartbeats.get() >= 5, "heartbeats");
        assertEquals(0, s.signal());
        Run run = s.await();
        assertFalse(run.err().contains("\r") || run.err().contains("\u001b"), run.err());
        assertEquals(1, run.err().split("online  alice/nanochat  node 1a2b3c4d", -1).length - 1, run.err());
        assertNotEquals(-1, run.err().indexOf("connecting  alice/nanochat"), run.err());
    }
}
