package dev.autolab.cli.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MachineProbeTest {
    @TempDir
    Path dir;

    private Path script(String body) throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path smi = bin.resolve("nvidia-smi");
        Files.writeString(smi, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(smi, PosixFilePermissions.fromString("rwx------"));
        return bin;
    }

    @Test
    void gpusComeFromNvidiaSmiOnThePath() throws Exception {
        Path bin = script("echo 'NVIDIA H100 80GB HBM3, 81559'; echo 'NVIDIA A10G, 23028'");
        List<Hardware.Gpu> gpus = new MachineProbe(dir, Map.of("PATH", bin.toString())).gpus();
        assertEquals(
                List.of(
                        new Hardware.Gpu("NVIDIA H100 80GB HBM3", 81559L << 20),
                        new Hardware.Gpu("NVIDIA A10G", 23028L << 20)),
                gpus);
    }

    @Test
    void noNvidiaSmiOrAFailingOneMeansNoGpus() throws Exception {
        assertEquals(
                List.of(),
                new MachineProbe(dir, Map.of("PATH", dir.resolve("nowhere").toString())).gpus());
        assertEquals(List.of(), new MachineProbe(dir, Map.of()).gpus());
        Path failing = script("echo 'NVIDIA-SMI has failed because it could not communicate with the driver'; exit 9");
        assertEquals(List.of(), new MachineProbe(dir, Map.of("PATH", failing.toString())).gpus());
    }

    @Test
    void memoryFromProcMeminfoElseTheJvmsView() throws Exception {
        Files.createDirectories(dir.resolve("proc"));
        Files.writeString(dir.resolve("proc/meminfo"), "MemTotal:        8048576 kB\n");
        assertEquals(8048576L * 1024, new MachineProbe(dir, Map.of()).memoryBytes());
        Path empty = Files.createDirectories(dir.resolve("empty"));
        assertTrue(new MachineProbe(empty, Map.of()).memoryBytes() > 0, "falls back to the JVM");
    }

    @Test
    void withoutEtcMachineIdAnIdIsGeneratedOnceAndKeptOwnerOnly() throws Exception {
        NodeStateStore store = new NodeStateStore(dir.resolve("state/autolab"));
        MachineProbe probe = new MachineProbe(dir, Map.of());
        String first = probe.machineId(store::generatedMachineId);
        assertTrue(first.matches("[0-9a-f]{32}"), first);
        assertEquals(first, probe.machineId(store::generatedMachineId), "stable across runs");
        Path file = dir.resolve("state/autolab/machine-id");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
    }

    @Test
    void hostnameFromTheKernel() throws Exception {
        Files.createDirectories(dir.resolve("proc/sys/kernel"));
        Files.writeString(dir.resolve("proc/sys/kernel/hostname"), "gpubox\n");
        assertEquals("gpubox", new MachineProbe(dir, Map.of()).hostname());
    }

    @Test
    void stateLivesUnderXdgStateHomeElseHomeOfTheShell() {
        assertEquals(
                Path.of("/x/autolab"),
                NodeStateStore.fromEnvironment(Map.of("XDG_STATE_HOME", "/x", "HOME", "/h"))
                        .dir());
        assertEquals(
                Path.of("/h/.local/state/autolab"),
                NodeStateStore.fromEnvironment(Map.of("HOME", "/h")).dir());
    }

    @Test
    void credentialFilesAreKeyedByHostAndProject() {
        NodeStateStore store = new NodeStateStore(dir);
        Path a = store.fileFor("http://localhost:8080", "alice/nanochat");
        assertEquals(a, store.fileFor("http://localhost:8080", "alice/nanochat"));
        assertTrue(!a.equals(store.fileFor("https://autolab.example", "alice/nanochat")));
        assertTrue(!a.equals(store.fileFor("http://localhost:8080", "alice/other")));
        assertTrue(a.getFileName().toString().startsWith("node-localhost-8080-alice-nanochat-"), a.toString());
    }
}
