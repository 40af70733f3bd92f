package dev.berth.cli;

import dev.berth.spec.Features;
import java.util.List;

/**
 * {@code berth features}: the runtime-spec features document (features.md), printed as runc does:
 * four-space indentation and a newline at the end.
 */
final class FeaturesCommand implements Command {
    @Override
    public String name() {
        return "features";
    }

    @Override
    public String summary() {
        return "show the enabled features";
    }

    @Override
    public String argsUsage() {
        return "";
    }

    @Override
    public String description() {
        return "Show the enabled features as JSON; see the runtime-spec's features.md for its fields.";
    }

    @Override
    public List<Flag> flags() {
        return List.of();
    }

    @Override
    public int run(Context ctx, ParsedArgs a) throws UsageException {
        Arity.exactly(this, a, 0);
        ctx.out().print(GoJson.indent(Features.json(Version.BERTH), "    ") + "\n");
        return 0;
    }
}
