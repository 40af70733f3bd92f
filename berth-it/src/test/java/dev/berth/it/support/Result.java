package dev.berth.it.support;

import java.util.List;

/**
 * What one command printed and how it ended.
 *
 * @param argv   the command line
 * @param exit   its exit status (128+N when killed by signal N, as a shell reports it)
 * @param stdout everything written to standard output
 * @param stderr everything written to standard error
 * @param log    what the runtime wrote to its --log file during this call ("" for host commands)
 */
public record Result(List<String> argv, int exit, String stdout, String stderr, String log) {

    public boolean ok() {
        return exit == 0;
    }

    /** stdout, stderr and the log together: where a runtime's error message may appear. */
    public String allText() {
        return stdout + "\n" + stderr + "\n" + log;
    }

    /** Fails with the whole picture unless the exit status is 0. */
    public Result assertOk() {
        if (exit != 0) throw new AssertionError("command failed: " + describe());
        return this;
    }

    /** Fails with the whole picture if the exit status is 0. */
    public Result assertFailed() {
        if (exit == 0) throw new AssertionError("command should have failed: " + describe());
        return this;
    }

    /** A readable account of the call for assertion messages. */
    public String describe() {
        StringBuilder b = new StringBuilder();
        b.append(String.join(" ", argv)).append("\n  exit: ").append(exit);
        section(b, "stdout", stdout);
        section(b, "stderr", stderr);
        section(b, "log", log);
        return b.toString();
    }

    private static void section(StringBuilder b, String name, String text) {
        if (text.isEmpty()) return;
        String t = text.length() > 4000 ? text.substring(0, 4000) + "\n...(" + text.length() + " chars)" : text;
        b.append("\n  ").append(name).append(":\n    ").append(t.strip().replace("\n", "\n    "));
    }
}
