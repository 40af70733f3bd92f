package dev.berth.api;

/**
 * The one error type of berth. Each layer adds its context in front of the message
 * ("create c1: mount proc on /proc: Operation not permitted"), and the errno of the failed
 * system call, if any, travels with it.
 */
public class BerthException extends RuntimeException {
    /** What kind of failure, so that callers can react without parsing messages. */
    public enum Kind {
        /** The container does not exist. */
        NOT_FOUND,
        /** A container with that id exists already. */
        EXISTS,
        /** Bad input: config.json, a flag, an id. */
        INVALID,
        /** The container is in the wrong state for the operation. */
        STATE,
        /** A system call or a helper step failed. */
        SYSTEM
    }

    private final Kind kind;
    private final int errno;

    public BerthException(Kind kind, String message) {
        this(kind, message, 0, null);
    }

    public BerthException(Kind kind, String message, int errno, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.errno = errno;
    }

    public static BerthException invalid(String message) {
        return new BerthException(Kind.INVALID, message);
    }

    public Kind kind() {
        return kind;
    }

    /** The errno of the failed system call, 0 when the failure was not a system call's. */
    public int errno() {
        return errno;
    }

    /** The same error with {@code context + ": "} in front of its message. */
    public BerthException within(String context) {
        BerthException e = new BerthException(kind, context + ": " + getMessage(), errno, this);
        e.setStackTrace(getStackTrace());
        return e;
    }
}
