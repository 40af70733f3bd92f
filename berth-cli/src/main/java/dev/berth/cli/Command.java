package dev.berth.cli;

import java.util.List;

/** One runc command. The texts feed the help; {@link #run} returns the exit status. */
interface Command {
    String name();

    /** One line for the command list. */
    String summary();

    /** What follows "berth NAME [command options]" in the usage line, plus any explanation. */
    String argsUsage();

    /** A longer text for the command's help, or "". */
    default String description() {
        return "";
    }

    List<Flag> flags();

    /**
     * Whether flags after the positional arguments count as the command's (urfave's reorder).
     * Not for commands that pass their trailing arguments on: ps (to ps), exec (the command has
     * flags of its own, runc's SkipArgReorder).
     */
    default boolean reorderArgs() {
        return true;
    }

    int run(Context ctx, ParsedArgs args) throws Exception;
}
