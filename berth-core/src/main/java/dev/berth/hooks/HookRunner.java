package dev.berth.hooks;

import dev.berth.sys.Subprocess;
import java.util.List;

/**
 * Runs the hooks that execute in the runtime's namespace (prestart, createRuntime, poststart,
 * poststop): the container state on stdin, argv and env exactly as configured, a timeout, and
 * the hook's output in the error when it fails.
 */
public final class HookRunner {
    private HookRunner() {}

    /** One hook as config.json gives it. */
    public record Hook(String path, List<String> args, List<String> env, int timeoutSeconds) {}

    /** Runs {@code hooks} in order; the first failure stops the rest and is thrown. */
    public static void runAll(String kind, List<Hook> hooks, String stateJson) {
        for (Hook h : hooks) run(kind, h, stateJson);
    }

    public static void run(String kind, Hook hook, String stateJson) {
        List<String> argv = hook.args().isEmpty() ? List.of(hook.path()) : hook.args();
        Subprocess.run(kind + " hook " + hook.path(), hook.path(), argv, hook.env(), stateJson, hook.timeoutSeconds());
    }
}
