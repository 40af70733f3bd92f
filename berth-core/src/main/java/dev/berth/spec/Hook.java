package dev.berth.spec;

import java.util.List;

/** One hook: an absolute {@code path}, its argv and environment, and a timeout in seconds or null. */
public record Hook(String path, List<String> args, List<String> env, Integer timeout) {
    public Hook {
        args = List.copyOf(args);
        env = List.copyOf(env);
    }
}
