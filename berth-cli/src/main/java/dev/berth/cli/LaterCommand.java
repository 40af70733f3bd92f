package dev.berth.cli;

import dev.berth.api.BerthException;
import java.util.List;

/**
 * A runc command that berth does not have yet (exec, ps, pause, ...). It fails at once with a
 * message that says so, whatever the arguments, rather than with a confusing flag error.
 */
final class LaterCommand implements Command {
    private final String name;

    LaterCommand(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String summary() {
        return "not supported by berth yet (see README)";
    }

    @Override
    public String argsUsage() {
        return "";
    }

    @Override
    public List<Flag> flags() {
        return List.of();
    }

    String message() {
        return "berth: \"" + name + "\" is not supported yet (see README)";
    }

    @Override
    public int run(Context ctx, ParsedArgs args) {
        throw BerthException.invalid(message());
    }
}
