package dev.autolab.cli.serve;

import java.util.List;

/** What this machine offers: CPUs, memory, GPUs. Plain values, turned into the proto's Resources when sent. */
public record Hardware(int cpus, long memoryBytes, List<Gpu> gpus) {
    public record Gpu(String model, long memoryBytes) {}
}
