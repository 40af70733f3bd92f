package dev.berth.cli;

import dev.berth.api.BerthException;
import dev.berth.api.Container;
import java.util.List;

/** {@code berth kill <id> [signal]}: SIGTERM unless told otherwise; names and numbers as {@link Signals}. */
final class KillCommand implements Command {
    static final Flag ALL = Flag.bool("all", "a", "send the signal to every process of the container");

    @Override
    public String name() {
        return "kill";
    }

    @Override
    public String summary() {
        return "kill sends the specified signal (default: SIGTERM) to the container's init process";
    }

    @Override
    public String argsUsage() {
        return "<container-id> [signal]\n\nWhere \"<container-id>\" is the name of the container and \"[signal]\" is the\n"
                + "signal to send to its init: a name (KILL, SIGKILL, kill, RTMIN+1) or a number (9).";
    }

    @Override
    public List<Flag> flags() {
        return List.of(ALL);
    }

    @Override
    public int run(Context ctx, ParsedArgs a) throws UsageException {
        Arity.atLeast(this, a, 1);
        Arity.atMost(this, a, 2);
        // runc finds the container before it reads the signal; the errors come in that order
        String id = ContainerIds.check(a.arg(0));
        Container c = ctx.runtime().get(id);
        String raw = a.arg(1);
        int signal = Signals.parse(raw.isEmpty() ? "SIGTERM" : raw);
        boolean all = a.bool(ALL);
        try {
            c.kill(signal, all);
        } catch (BerthException e) {
            // runc 1.2: with --all, a container that is no longer running is not an error
            if (!all || e.kind() != BerthException.Kind.STATE) throw e;
        }
        return 0;
    }
}
