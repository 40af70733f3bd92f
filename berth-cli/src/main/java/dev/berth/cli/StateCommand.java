package dev.berth.cli;

import java.util.List;

/** {@code berth state <id>}: the state JSON, exactly as runc prints it (see {@link StateView}). */
final class StateCommand implements Command {
    @Override
    public String name() {
        return "state";
    }

    @Override
    public String summary() {
        return "output the state of a container";
    }

    @Override
    public String argsUsage() {
        return "<container-id>\n\nWhere \"<container-id>\" is your name for the instance of the container.";
    }

    @Override
    public List<Flag> flags() {
        return List.of();
    }

    @Override
    public int run(Context ctx, ParsedArgs a) throws UsageException {
        Arity.exactly(this, a, 1);
        String id = ContainerIds.check(a.arg(0));
        ctx.out().print(StateView.stateJson(ctx.runtime().get(id).state()));
        return 0;
    }
}
