package dev.berth.it.support;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs a program with its output sent to files, never to pipes: a detached container inherits the
 * runtime's stdout and stderr and keeps them open, which would make reading a pipe to its end hang.
 * Every wait has a limit; a program still running at its limit is killed and the call fails.
 */
public final class Exec {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
    private static final AtomicLong SEQ = new AtomicLong();

    private final List<String> argv;
    private Path dir;
    private Path stdin;
    private Duration timeout = DEFAULT_TIMEOUT;
    private final Map<String, String> env = new java.util.LinkedHashMap<>();
    private Path scratch;
    private Path logFile;

    private Exec(List<String> argv) {
        this.argv = List.copyOf(argv);
    }

    public static Exec of(List<String> argv) {
        return new Exec(argv);
    }

    public static Exec of(String... argv) {
        return new Exec(List.of(argv));
    }

    /** Working directory of the program (default: the test JVM's). */
    public Exec dir(Path d) {
        this.dir = d;
        return this;
    }

    /** A file to read standard input from (default: /dev/null). */
    public Exec stdin(Path f) {
        this.stdin = f;
        return this;
    }

    public Exec timeout(Duration t) {
        this.timeout = t;
        return this;
    }

    /** Adds or replaces an environment variable of the program. */
    public Exec env(String name, String value) {
        env.put(name, value);
        return this;
    }

    /** Where the output files go (default: the system temp directory). */
    public Exec scratch(Path d) {
        this.scratch = d;
        return this;
    }

    /** A log file whose growth during the call is reported in {@link Result#log()}. */
    public Exec log(Path f) {
        this.logFile = f;
        return this;
    }

    /** Starts the program; use {@link Running#await()} to wait for it. */
    public Running start() {
        try {
            Path where = scratch != null ? scratch : Path.of(System.getProperty("java.io.tmpdir"));
            long n = SEQ.incrementAndGet();
            Path out = where.resolve("out-" + n + ".txt");
            Path err = where.resolve("err-" + n + ".txt");
            ProcessBuilder pb = new ProcessBuilder(argv);
            if (dir != null) pb.directory(dir.toFile());
            pb.environment().putAll(env);
            pb.redirectInput(stdin != null ? stdin.toFile() : new File("/dev/null"));
            pb.redirectOutput(out.toFile());
            pb.redirectError(err.toFile());
            long logStart = logFile != null && Files.exists(logFile) ? Files.size(logFile) : 0;
            Process p = pb.start();
            return new Running(argv, p, out, err, logFile, logStart, timeout);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + argv, e);
        }
    }

    /** Runs the program to its end (or its time limit). */
    public Result run() {
        return start().await();
    }

    /** A started program. */
    public static final class Running {
        private final List<String> argv;
        private final Process process;
        private final Path out;
        private final Path err;
        private final Path logFile;
        private final long logStart;
        private final Duration timeout;

        Running(List<String> argv, Process process, Path out, Path err, Path logFile, long logStart, Duration timeout) {
            this.argv = argv;
            this.process = process;
            this.out = out;
            this.err = err;
            this.logFile = logFile;
            this.logStart = logStart;
            this.timeout = timeout;
        }

        public long pid() {
            return process.pid();
        }

        public boolean alive() {
            return process.isAlive();
        }

        /** What the program has written to stdout so far. */
        public String stdoutSoFar() {
            return read(out);
        }

        /** Waits up to the call's time limit; a program still running then is killed and the call fails. */
        public Result await() {
            return await(timeout);
        }

        public Result await(Duration limit) {
            try {
                if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(10, TimeUnit.SECONDS);
                    throw new AssertionError("timed out after " + limit.toSeconds() + " s and killed: "
                            + result(-1).describe());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
                throw new AssertionError("interrupted while waiting for " + argv);
            }
            return result(process.exitValue());
        }

        /** Sends SIGKILL to the program (not to its children) and reaps it. */
        public Result kill() {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return result(process.isAlive() ? -1 : process.exitValue());
        }

        private Result result(int exit) {
            String log = "";
            if (logFile != null && Files.exists(logFile)) {
                try {
                    byte[] all = Files.readAllBytes(logFile);
                    int from = (int) Math.min(logStart, all.length);
                    log = new String(all, from, all.length - from, StandardCharsets.UTF_8);
                } catch (IOException e) {
                    log = "(cannot read " + logFile + ": " + e + ")";
                }
            }
            List<String> shown = new ArrayList<>(argv);
            return new Result(shown, exit, read(out), read(err), log);
        }

        private static String read(Path f) {
            try {
                return Files.exists(f) ? Files.readString(f, StandardCharsets.UTF_8) : "";
            } catch (IOException e) {
                return "(cannot read " + f + ": " + e + ")";
            }
        }
    }
}
