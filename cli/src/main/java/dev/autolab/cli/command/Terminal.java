package dev.autolab.cli.command;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;

import dev.autolab.cli.json.Json;

/**
 * Where a command writes and what it reads from its environment. Data goes to stdout (so
 * {@code TOK=$(autolab token create --name x)} works); messages for people go to stderr. Whatever
 * goes through here reaches the terminal with its control characters escaped ({@link Sanitize}).
 */
public final class Terminal {
    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> env;
    private boolean noticedEnvToken;
    private boolean warnedCleartext;
    /** The status line shown at the bottom (a person's terminal only), or null. */
    private String status;

    private final Clock clock;
    /** Whether a person watches stderr (a spinner is drawn only then). */
    private final boolean interactive;
    /** Whether stderr's encoding has box-drawing and braille characters (not under the POSIX locale). */
    private final boolean unicode;

    private int frame;

    public Terminal(PrintStream out, PrintStream err, Map<String, String> env) {
        this(out, err, env, Clock.systemUTC());
    }

    /** With the clock relative times are measured against (tests fix it); not a person's terminal. */
    public Terminal(PrintStream out, PrintStream err, Map<String, String> env, Clock clock) {
        this(out, err, env, clock, false, false);
    }

    public Terminal(
            PrintStream out,
            PrintStream err,
            Map<String, String> env,
            Clock clock,
            boolean interactive,
            boolean unicode) {
        this.out = out;
        this.err = err;
        this.env = env;
        this.clock = clock;
        this.interactive = interactive;
        this.unicode = unicode;
    }

    public Instant now() {
        return clock.instant();
    }

    public static Terminal system() {
        return new Terminal(
                System.out,
                System.err,
                System.getenv(),
                Clock.systemUTC(),
                System.console() != null,
                canShow("┌─┐│└┘⠋"));
    }

    /** Whether stderr's encoding (that of the terminal, else the default) has these characters. */
    private static boolean canShow(String text) {
        String encoding = System.getProperty("sun.stderr.encoding");
        try {
            java.nio.charset.Charset charset = encoding != null
                    ? java.nio.charset.Charset.forName(encoding)
                    : java.nio.charset.Charset.defaultCharset();
            return charset.newEncoder().canEncode(text);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Raw stdout, for output that is entirely the CLI's own (completion scripts). */
    public PrintStream out() {
        return out;
    }

    /** Raw stderr, for picocli's own messages (usage errors). */
    public PrintStream err() {
        return err;
    }

    /** Data on stdout; may span lines, other control characters are escaped. */
    public void print(String data) {
        out.print(Sanitize.text(data));
    }

    public void println(String data) {
        out.println(Sanitize.text(data));
    }

    /** A list from a reply as pretty JSON on stdout (an empty list when the reply had none). */
    public void printJson(Json list) {
        out.println(list.isMissingNode() ? "[]" : SafeJson.pretty(list));
    }

    /** A message for people on stderr; server strings in it should already be {@link Sanitize#line}d. */
    public void say(String message) {
        if (status != null) {
            err.print(CLEAR_LINE);
        }
        err.println(Sanitize.text(message));
        if (status != null) {
            err.print(status);
            err.flush();
        }
    }

    /** Erases the current line and goes back to its start (ANSI: carriage return, erase line). */
    private static final String CLEAR_LINE = "\r\u001b[2K";

    /**
     * One line on stderr rewritten in place (a person's terminal only): {@link #say} prints above
     * it. The text is escaped like any other.
     */
    public void status(String line) {
        status = Sanitize.line(line);
        err.print(CLEAR_LINE + status);
        err.flush();
    }

    /** Removes the status line, if one is shown. */
    public void endStatus() {
        if (status != null) {
            err.print(CLEAR_LINE);
            err.flush();
            status = null;
        }
    }

    private static final String[] BRAILLE = {"⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"};
    private static final String[] ASCII = {"|", "/", "-", "\\"};

    /**
     * The next frame of a spinner before {@code text}, in the status line, so a person sees the wait
     * is alive; nothing when stderr is not a person's terminal (a log gets no frames).
     */
    public void spin(String text) {
        if (!interactive) {
            return;
        }
        String[] frames = unicode ? BRAILLE : ASCII;
        status(frames[frame++ % frames.length] + " " + text);
    }

    /** Lines in a box on stderr (box-drawing characters where the encoding has them, else ASCII). */
    public void box(java.util.List<String> lines) {
        int width = 0;
        for (String line : lines) {
            width = Math.max(width, Sanitize.line(line).length());
        }
        String h = unicode ? "─" : "-";
        String v = unicode ? "│" : "|";
        StringBuilder box = new StringBuilder();
        box.append(unicode ? "┌" : "+").append(h.repeat(width + 2)).append(unicode ? "┐" : "+");
        for (String line : lines) {
            String clean = Sanitize.line(line);
            box.append('\n').append(v).append(' ').append(clean).append(" ".repeat(width - clean.length()));
            box.append(' ').append(v);
        }
        box.append('\n').append(unicode ? "└" : "+").append(h.repeat(width + 2)).append(unicode ? "┘" : "+");
        say(box.toString());
    }

    /** Ends a wait: the spinner's status line goes. */
    public void endTicks() {
        endStatus();
    }

    public String env(String name) {
        String value = env.get(name);
        return value == null || value.isBlank() ? null : value.trim();
    }

    public Map<String, String> environment() {
        return env;
    }

    /** Says once per run that the token will cross the network readable by anyone on the way. */
    void warnCleartext(String host) {
        if (!warnedCleartext) {
            warnedCleartext = true;
            say("warning: " + host + " is plain http: your token travels unencrypted; use https:// unless this "
                    + "network is yours alone");
        }
    }

    /** Says once per run that AUTOLAB_TOKEN wins over a stored login. */
    void noticeEnvTokenShadows(String host) {
        if (!noticedEnvToken) {
            noticedEnvToken = true;
            say("note: AUTOLAB_TOKEN is set; using it instead of the login stored for " + host);
        }
    }
}
