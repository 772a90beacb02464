package dev.autolab.cli.serve;

import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;

import dev.autolab.cli.command.Sanitize;
import dev.autolab.cli.command.Terminal;

/**
 * What a person sees while {@code serve} runs. On a terminal: one line on stderr, rewritten in
 * place ({@code ● online  alice/nanochat  node 1a2b3c4d  lease until 14:03:10}). Otherwise (a log
 * file, a service manager): a time-stamped line only when the state changes, not on every lease.
 */
final class StatusLine {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

    private final Terminal term;
    private final Clock clock;
    private final boolean interactive;
    private final String on;
    private final String off;
    private final String where;
    private String lastState;

    StatusLine(Terminal term, Clock clock, boolean interactive, boolean unicode, String project, String nodeId) {
        this.term = term;
        this.clock = clock;
        this.interactive = interactive;
        this.on = unicode ? "●" : "*";
        this.off = unicode ? "○" : "o";
        this.where = Sanitize.line(project) + "  node " + shortId(nodeId);
    }

    static String shortId(String nodeId) {
        String id = Sanitize.line(nodeId);
        return id.length() > 8 ? id.substring(0, 8) : id;
    }

    void connecting() {
        if (!interactive && lastState != null) {
            return; // a log says when it went offline and when it is back, not every attempt in between
        }
        show(off + " connecting", "connecting", "");
    }

    void online(Instant leaseUntil) {
        String until = leaseUntil == null ? "" : "  lease until " + TIME.format(leaseUntil.atZone(clock.getZone()));
        show(on + " online", "online", until);
    }

    void offline(String why, java.time.Duration retryIn) {
        show(off + " offline", "offline (" + why + ")", "  " + why + "; reconnecting in " + seconds(retryIn));
    }

    private static String seconds(java.time.Duration d) {
        long ms = d.toMillis();
        return ms < 10_000 ? String.format(java.util.Locale.ROOT, "%.1fs", ms / 1000.0) : (ms / 1000) + "s";
    }

    private void show(String badge, String state, String detail) {
        if (interactive) {
            term.status(badge + "  " + where + detail);
        } else if (!state.equals(lastState)) {
            term.say(TIME.format(clock.instant().atZone(clock.getZone())) + " " + state + "  " + where);
        }
        lastState = state;
    }

    void end() {
        term.endStatus();
    }
}
