package dev.berth.cli;

import dev.berth.api.Runtime;
import java.nio.file.Path;

/** What a command needs beyond its own arguments: the global options, the log, the output. */
final class Context {
    private final GlobalOptions globals;
    private final CliLog log;
    private final Output output;
    private Runtime runtime;

    Context(GlobalOptions globals, CliLog log, Output output) {
        this.globals = globals;
        this.log = log;
        this.output = output;
    }

    GlobalOptions globals() {
        return globals;
    }

    CliLog log() {
        return log;
    }

    Output out() {
        return output;
    }

    /** Whether --root was given; runc treats a missing default root as "no containers yet". */
    boolean rootGiven() {
        return globals.root() != null;
    }

    /** --root (already absolute and clean), else the library's default for this user. */
    Path root() {
        return rootGiven() ? Path.of(globals.root()) : Runtime.defaultRoot();
    }

    /** Opened on first use, so that commands that need no state (spec, features) never pay for it. */
    Runtime runtime() {
        if (runtime == null) runtime = Runtime.open(root(), log);
        return runtime;
    }

    /** Go's filepath.Abs: relative to the working directory, cleaned. */
    static Path absolute(String path) {
        return Path.of(path).toAbsolutePath().normalize();
    }
}
