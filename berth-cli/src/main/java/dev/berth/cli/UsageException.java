package dev.berth.cli;

/**
 * The command line itself is wrong (unknown flag, missing value, wrong number of arguments).
 * Like runc, berth then prints "Incorrect Usage" and the help of the command to stdout, and the
 * message as an error; the exit status is 1.
 */
final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    /** The urfave heading that goes in front of the help text, with or without the message. */
    private final String heading;

    UsageException(String message, String heading) {
        super(message, null, false, false);
        this.heading = heading;
    }

    /** A flag that the parser refused: urfave prints the message in the heading. */
    static UsageException flag(String message) {
        return new UsageException(message, null);
    }

    /** A wrong argument count: urfave prints "Incorrect Usage." alone, then the help. */
    static UsageException arguments(String message) {
        return new UsageException(message, "Incorrect Usage.");
    }

    /** The text printed to stdout before the help; {@code separator} is ". " for the app and ": " for a command. */
    String heading(String separator) {
        return heading != null ? heading : "Incorrect Usage" + separator + getMessage();
    }
}
