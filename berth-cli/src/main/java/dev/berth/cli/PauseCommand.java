package dev.berth.cli;

import java.util.List;

/** {@code berth pause <id>} and {@code berth resume <id>}: the cgroup freezer, as runc. */
final class PauseCommand implements Command {
    private final boolean pause;

    PauseCommand(boolean pause) {
        this.pause = pause;
    }

    @Override
    public String name() {
        return pause ? "pause" : "resume";
    }

    @Override
    public String summary() {
        return pause ? "pause suspends all processes inside the container"
                : "resumes all processes that have been previously paused";
    }

    @Override
    public String argsUsage() {
        return "<container-id>\n\nWhere \"<container-id>\" is the name for the instance of the container to be\n"
                + (pause ? "paused." : "resumed.");
    }

    @Override
    public List<Flag> flags() {
        return List.of();
    }

    @Override
    public int run(Context ctx, ParsedArgs a) throws UsageException {
        Arity.exactly(this, a, 1);
        String id = ContainerIds.check(a.arg(0));
        if (pause) {
            ctx.runtime().get(id).pause();
        } else {
            ctx.runtime().get(id).resume();
        }
        return 0;
    }
}
