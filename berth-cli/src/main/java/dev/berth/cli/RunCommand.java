package dev.berth.cli;

import java.util.List;

/**
 * {@code berth run <id>}: create and start. In the foreground berth waits, forwards signals,
 * deletes the container and exits with its status; with {@code -d} it returns once started.
 */
final class RunCommand implements Command {
    static final Flag DETACH = Flag.bool("detach", "d", "detach from the container's process");
    static final Flag KEEP = Flag.bool("keep", null, "do not delete the container after it exits (not supported yet)");
    static final Flag NO_SUBREAPER = Flag.bool("no-subreaper", null,
            "disable the use of the subreaper used to reap reparented processes (accepted; berth is always one)");

    @Override
    public String name() {
        return "run";
    }

    @Override
    public String summary() {
        return "create and run a container";
    }

    @Override
    public String argsUsage() {
        return "<container-id>\n\nWhere \"<container-id>\" is your name for the instance of the container; it must be\n"
                + "unique on this host.";
    }

    @Override
    public String description() {
        return "The run command creates an instance of a container from a bundle (a directory with a\n"
                + "config.json and a root file system) and runs its process. In the foreground, berth exits\n"
                + "with the container's exit status (128+N when it was killed by signal N).";
    }

    @Override
    public List<Flag> flags() {
        Flag[] all = BundleFlags.FLAGS.toArray(new Flag[BundleFlags.FLAGS.size() + 3]);
        all[all.length - 3] = DETACH;
        all[all.length - 2] = KEEP;
        all[all.length - 1] = NO_SUBREAPER;
        return List.of(all);
    }

    @Override
    public int run(Context ctx, ParsedArgs a) throws UsageException {
        Arity.exactly(this, a, 1);
        try {
            String id = ContainerIds.check(a.arg(0));
            BundleFlags.checkSupported(ctx, a);
            if (a.bool(KEEP)) throw BundleFlags.later("--keep");
            return ctx.runtime().run(id, BundleFlags.bundle(a), BundleFlags.options(a), a.bool(DETACH));
        } catch (RuntimeException e) {
            throw Errors.within("berth run failed", e);
        }
    }
}
