package dev.berth.api;

/**
 * Where the engine reports what it does. The command line writes these lines to --log in
 * runc's text or JSON format; library users plug in their own.
 */
public interface Log {
    enum Level { ERROR, WARN, INFO, DEBUG }

    void log(Level level, String message);

    /** Whether a message at this level would be written; lets callers skip building it. */
    default boolean enabled(Level level) {
        return true;
    }

    default void warn(String message) {
        log(Level.WARN, message);
    }

    default void debug(String message) {
        if (enabled(Level.DEBUG)) log(Level.DEBUG, message);
    }

    Log NONE = new Log() {
        @Override
        public void log(Level level, String message) {}

        @Override
        public boolean enabled(Level level) {
            return false;
        }
    };
}
