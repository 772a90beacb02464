package dev.autolab.keys.support;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import org.jboss.logmanager.ExtLogRecord;
import org.jboss.logmanager.formatters.PatternFormatter;

/** Everything the service logs while open (every logger, every level that is enabled), as text. */
public final class LogCapture extends Handler implements AutoCloseable {
    private final PatternFormatter format = new PatternFormatter("%p %c %s%e%n");
    private final List<String> lines = new ArrayList<>();
    private final java.util.logging.Logger root = java.util.logging.Logger.getLogger("");

    public LogCapture() {
        setLevel(Level.ALL);
        root.addHandler(this);
    }

    @Override
    public void publish(LogRecord record) {
        String line = format.format(record instanceof ExtLogRecord ext ? ext : ExtLogRecord.wrap(record));
        synchronized (lines) {
            lines.add(line);
        }
    }

    public String text() {
        synchronized (lines) {
            return String.join("", lines);
        }
    }

    public int size() {
        synchronized (lines) {
            return lines.size();
        }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {
        root.removeHandler(this);
    }
}
