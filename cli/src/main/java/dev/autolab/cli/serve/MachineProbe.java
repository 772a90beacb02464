package dev.autolab.cli.serve;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Finds out what this machine is: its CPUs, memory and GPUs, its hostname and a stable id. Reads
 * below {@code root} (/ outside tests) and finds {@code nvidia-smi} on the PATH of the environment
 * it is given.
 */
final class MachineProbe {
    static final Duration GPU_TIMEOUT = Duration.ofSeconds(5);
    private static final Pattern MEM_TOTAL = Pattern.compile("(?m)^MemTotal:\\s+(\\d+)\\s*kB");
    private static final Pattern MACHINE_ID = Pattern.compile("^[0-9a-fA-F]{32}$");
    private static final byte[] ID_KEY = "autolab node machine id".getBytes(StandardCharsets.UTF_8);

    private final Path root;
    private final Map<String, String> env;

    MachineProbe(Path root, Map<String, String> env) {
        this.root = root;
        this.env = env;
    }

    Hardware hardware() {
        return new Hardware(Runtime.getRuntime().availableProcessors(), memoryBytes(), gpus());
    }

    /** MemTotal from /proc/meminfo; else the JVM's view of the machine's memory. */
    long memoryBytes() {
        try {
            Matcher m = MEM_TOTAL.matcher(Files.readString(root.resolve("proc/meminfo")));
            if (m.find()) {
                return Long.parseLong(m.group(1)) * 1024;
            }
        } catch (IOException | RuntimeException e) {
            // Not Linux, or no /proc: ask the JVM.
        }
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getTotalMemorySize();
        }
        return Runtime.getRuntime().maxMemory();
    }

    /** GPUs as nvidia-smi lists them; none when it is not on the PATH, fails, or hangs. */
    List<Hardware.Gpu> gpus() {
        Path smi = onPath("nvidia-smi");
        if (smi == null) {
            return List.of();
        }
        try {
            Process p = new ProcessBuilder(
                            smi.toString(), "--query-gpu=name,memory.total", "--format=csv,noheader,nounits")
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .redirectInput(ProcessBuilder.Redirect.PIPE)
                    .start();
            p.getOutputStream().close();
            byte[] out;
            try (InputStream in = p.getInputStream()) {
                if (!p.waitFor(GPU_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                    p.destroyForcibly();
                    return List.of();
                }
                out = in.readNBytes(1 << 16);
            }
            return p.exitValue() == 0 ? parseGpus(new String(out, StandardCharsets.UTF_8)) : List.of();
        } catch (IOException e) {
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }

    /** {@code NVIDIA H100 80GB HBM3, 81559} per line (memory in MiB); lines that are not that are skipped. */
    static List<Hardware.Gpu> parseGpus(String csv) {
        List<Hardware.Gpu> gpus = new ArrayList<>();
        for (String line : csv.split("\n")) {
            int comma = line.lastIndexOf(',');
            if (comma <= 0) {
                continue;
            }
            String name = line.substring(0, comma).trim();
            try {
                long mib = Long.parseLong(line.substring(comma + 1).trim());
                gpus.add(new Hardware.Gpu(name, mib * 1024 * 1024));
            } catch (NumberFormatException e) {
                gpus.add(new Hardware.Gpu(name, 0));
            }
        }
        return gpus;
    }

    private Path onPath(String command) {
        String path = env.get("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, command);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /** The kernel's hostname; else the network's idea of it. */
    String hostname() {
        for (String file : List.of("proc/sys/kernel/hostname", "etc/hostname")) {
            try {
                String name = Files.readString(root.resolve(file)).trim();
                if (!name.isEmpty()) {
                    return name;
                }
            } catch (IOException e) {
                // try the next source
            }
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }

    /**
     * A stable id for this machine: /etc/machine-id, else one generated once and kept in the state
     * folder. /etc/machine-id is confidential (machine-id(5)), so what leaves the machine is a keyed
     * hash of it, stable but not the id itself.
     */
    String machineId(Supplier<String> generated) {
        String raw = null;
        try {
            String id = Files.readString(root.resolve("etc/machine-id")).trim();
            if (MACHINE_ID.matcher(id).matches()) {
                raw = id.toLowerCase(java.util.Locale.ROOT);
            }
        } catch (IOException e) {
            // no systemd machine id: use our own
        }
        return raw == null ? generated.get() : appSpecific(raw);
    }

    static String appSpecific(String machineId) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(ID_KEY, "HmacSHA256"));
            byte[] digest = mac.doFinal(machineId.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
    }
}
