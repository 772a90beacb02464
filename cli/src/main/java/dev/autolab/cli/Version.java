package dev.autolab.cli;

import picocli.CommandLine;

/** {@code autolab --version}: the CLI's version from its jar, and the Java it runs on. */
final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String version = Autolab.class.getPackage().getImplementationVersion();
        return new String[] {
            "autolab " + (version == null ? "(development build)" : version),
            "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"
        };
    }
}
