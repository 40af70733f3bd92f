package dev.berth.cli;

import dev.berth.api.Log;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.TimeZone;

/**
 * The {@link Log} berth's engine reports through, written as runc writes its log: to
 * {@code --log FILE} (appended and created if missing; every line is one write so that the
 * lines of concurrent berth processes never interleave) or to stderr, in text or JSON lines, from
 * level info, or debug with {@code --debug}.
 */
final class CliLog implements Log {
    private final Level threshold;
    private final LogFormat format;
    private final OutputStream sink;
    private final boolean toStderr;
    /** The time every line carries, for tests; null means the current time. */
    private final Instant fixedTime;

    CliLog(Level threshold, LogFormat format, OutputStream sink, boolean toStderr, Instant fixedTime) {
        this.threshold = threshold;
        this.format = format;
        this.sink = sink;
        this.toStderr = toStderr;
        this.fixedTime = fixedTime;
    }

    /** What runc logs to before its flags are read: text lines on stderr from level info. */
    static CliLog stderr(Output output) {
        return new CliLog(Level.INFO, LogFormat.TEXT, output.errorStream(), true, null);
    }

    /** The log the global flags ask for; {@code file} null means stderr. */
    static CliLog open(Output output, String file, LogFormat format, boolean debug) throws IOException {
        Level threshold = debug ? Level.DEBUG : Level.INFO;
        if (file == null || file.isEmpty()) {
            return new CliLog(threshold, format, output.errorStream(), true, null);
        }
        // O_APPEND: each line is one write(2) at the end of the file, whoever else appends.
        // FileOutputStream rather than FileChannel with attributes: those classes cost start-up
        // time on every containerd call, and the mode is the same 0644 under the usual umask.
        return new CliLog(threshold, format, new FileOutputStream(file, true), false, null);
    }

    /** Whether the lines go to stderr already; if not, errors are printed there too, as runc's fatal does. */
    boolean toStderr() {
        return toStderr;
    }

    @Override
    public boolean enabled(Level level) {
        return level.ordinal() <= threshold.ordinal();
    }

    @Override
    public synchronized void log(Level level, String message) {
        if (!enabled(level)) return;
        Instant now = fixedTime != null ? fixedTime : Instant.now();
        // TimeZone rather than ZoneId.systemDefault(): the latter loads java.time's whole zone
        // rules provider, about 10 ms of start-up for one log line.
        int offset = TimeZone.getDefault().getOffset(now.toEpochMilli()) / 1000;
        String time = Rfc3339.seconds(now, ZoneOffset.ofTotalSeconds(offset));
        byte[] line = format.line(level, message, time).getBytes(StandardCharsets.UTF_8);
        try {
            sink.write(line);
            sink.flush();
        } catch (IOException e) {
            // A full disk or a closed stderr must not turn into a failed container operation;
            // the exit status still tells the caller what happened.
        }
    }

    void error(String message) {
        log(Level.ERROR, message);
    }
}
