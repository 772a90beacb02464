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
    private boolean ticking;
    /** The status line shown at the bottom (a person's terminal only), or null. */
    private String status;

    private final Clock clock;

    public Terminal(PrintStream out, PrintStream err, Map<String, String> env) {
        this(out, err, env, Clock.systemUTC());
    }

    /** With the clock relative times are measured against (tests fix it). */
    public Terminal(PrintStream out, PrintStream err, Map<String, String> env, Clock clock) {
        this.out = out;
        this.err = err;
        this.env = env;
        this.clock = clock;
    }

    public Instant now() {
        return clock.instant();
    }

    public static Terminal system() {
        return new Terminal(System.out, System.err, System.getenv());
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

    /** One dot per poll while waiting, so a person sees it is alive. */
    public void tick() {
        err.print('.');
        err.flush();
        ticking = true;
    }

    public void endTicks() {
        endStatus();
        if (ticking) {
            err.println();
            ticking = false;
        }
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
