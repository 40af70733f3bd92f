package dev.berth.cli;

import java.util.List;

/** {@code berth start <id>}: runs the process of a created container. */
final class StartCommand implements Command {
    @Override
    public String name() {
        return "start";
    }

    @Override
    public String summary() {
        return "executes the user defined process in a created container";
    }

    @Override
    public String argsUsage() {
        return "<container-id>\n\nWhere \"<container-id>\" is the name of a created container.";
    }

    @Override
    public List<Flag> flags() {
        return List.of();
    }

    @Override
    public int run(Context ctx, ParsedArgs a) throws UsageException {
        Arity.exactly(this, a, 1);
        String id = ContainerIds.check(a.arg(0));
        ctx.runtime().get(id).start(BundleFlags.notifySocket());
        return 0;
    }
}
