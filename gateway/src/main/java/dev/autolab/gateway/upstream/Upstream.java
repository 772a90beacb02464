package dev.autolab.gateway.upstream;

/** A service the gateway forwards to: its name (for people and logs) and its gRPC address. */
public record Upstream(String name, String host, int port) {}
