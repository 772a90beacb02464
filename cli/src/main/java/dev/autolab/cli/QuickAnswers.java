package dev.autolab.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import picocli.CommandLine.Help.Ansi;

/**
 * {@code autolab --help} and {@code autolab --version} (or {@code -h}, {@code -V}) answered without
 * picocli: building the command model and laying out the help (line breaking, locale data) was
 * most of such a run (issue 9). The help is the text picocli renders from the live model, written
 * at build time into the jar ({@link #main}, run by the build after compiling), once plain and once
 * with ANSI styles; picocli's own rule picks which ({@link Ansi#AUTO}). {@code HelpTextTest} checks
 * both against what picocli renders now, so the two cannot drift apart. When the texts are not
 * there (classes run straight from an IDE), or a {@code picocli.*} system property may change what
 * picocli would print, the run goes through picocli as any other.
 */
public final class QuickAnswers {
    static final String PLAIN = "help.txt";
    static final String STYLED = "help.ansi.txt";

    private QuickAnswers() {}

    /** What to print on stdout (exit 0) when {@code args} ask only for the help or the version; else null. */
    static String answer(String[] args) {
        if (args.length != 1 || picocliConfigured()) {
            return null;
        }
        switch (args[0]) {
            case "-h", "--help":
                return help(Ansi.AUTO.enabled());
            case "-V", "--version":
                StringBuilder lines = new StringBuilder();
                for (String line : new Version().getVersion()) {
                    lines.append(line).append(System.lineSeparator());
                }
                return lines.toString();
            default:
                return null;
        }
    }

    /** The root help as built into the jar, styled or plain; null when the build did not write it. */
    static String help(boolean styled) {
        try (InputStream in = QuickAnswers.class.getResourceAsStream(styled ? STYLED : PLAIN)) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        }
    }

    private static boolean picocliConfigured() {
        for (Object key : System.getProperties().keySet()) {
            if (key instanceof String name
                    && name.startsWith("picocli.")
                    && !name.equals("picocli.ansi") // Ansi.AUTO reads it
                    && !name.equals("picocli.disable.closures") // main sets these two, which do
                    && !name.equals("picocli.converters.excludes")) { // not change the help
                return true;
            }
        }
        return false;
    }

    /** Build time: writes the root help, plain and styled, into the folder given (the classes folder). */
    public static void main(String[] args) throws Exception {
        Path folder = Path.of(args[0], QuickAnswers.class.getPackageName().replace('.', '/'));
        Files.createDirectories(folder);
        write(folder.resolve(PLAIN), Autolab.rendered(Ansi.OFF, "--help"));
        write(folder.resolve(STYLED), Autolab.rendered(Ansi.ON, "--help"));
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
