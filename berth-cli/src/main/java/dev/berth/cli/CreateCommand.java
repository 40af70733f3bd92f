package dev.berth.cli;

import java.util.List;

/** {@code berth create <id>}: the container's init waits for {@code start}. */
final class CreateCommand implements Command {
    @Override
    public String name() {
        return "create";
    }

    @Override
    public String summary() {
        return "create a container";
    }

    @Override
    public String argsUsage() {
        return "<container-id>\n\nWhere \"<container-id>\" is your name for the instance of the container; it must be\n"
                + "unique on this host.";
    }

    @Override
    public String description() {
        return "The create command creates an instance of a container from a bundle: a directory with\n"
                + "a config.json and a root file system. The process in config.json runs on \"berth start\".";
    }

    @Override
    public List<Flag> flags() {
        return BundleFlags.FLAGS;
    }

    @Override
    public int run(Context ctx, ParsedArgs a) throws UsageException {
        Arity.exactly(this, a, 1);
        try {
            String id = ContainerIds.check(a.arg(0));
            BundleFlags.checkSupported(ctx, a);
            ctx.runtime().create(id, BundleFlags.bundle(a), BundleFlags.options(a));
            return 0;
        } catch (RuntimeException e) {
            // runc 1.2 puts "runc create failed: " in front of every failure of the operation
            throw Errors.within("berth create failed", e);
        }
    }
}
