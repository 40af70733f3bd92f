package dev.berth.cli;

import dev.berth.api.BerthException;
import dev.berth.spec.DefaultSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@code berth spec}: writes runc's starter config.json into the bundle, formatted as runc does
 * (tab-indented, no newline at the end), and never over an existing one.
 */
final class SpecCommand implements Command {
    static final Flag BUNDLE = Flag.string("bundle", "b", "path to the root of the bundle directory");
    static final Flag ROOTLESS = Flag.bool("rootless", null, "generate a configuration for a rootless container");
    static final Flag NETNS = Flag.string("netns", null, "join the network namespace berth netns add made (berth only)");

    @Override
    public String name() {
        return "spec";
    }

    @Override
    public String summary() {
        return "create a new specification file";
    }

    @Override
    public String argsUsage() {
        return "";
    }

    @Override
    public String description() {
        return "The spec command creates a starter config.json in the bundle (the current directory\n"
                + "unless --bundle is given). Its process runs \"sh\"; edit it to run what you need.\n"
                + "--rootless generates a configuration for a container started by an unprivileged user.";
    }

    @Override
    public List<Flag> flags() {
        return List.of(BUNDLE, ROOTLESS, NETNS);
    }

    @Override
    public int run(Context ctx, ParsedArgs a) throws UsageException, IOException {
        Arity.exactly(this, a, 0);
        Map<String, Object> spec = DefaultSpec.json(a.bool(ROOTLESS));
        if (a.isSet(NETNS)) NetnsSpecFlag.apply(spec, a.string(NETNS, ""), ctx);
        write(Context.absolute(a.string(BUNDLE, "")), GoJson.indent(spec, "\t"));
        return 0;
    }

    /** Writes config.json into {@code bundle}; refuses when one exists. */
    static void write(Path bundle, String json) throws IOException {
        if (!Files.isDirectory(bundle)) {
            throw BerthException.invalid("chdir " + bundle + ": "
                    + (Files.exists(bundle) ? "not a directory" : "no such file or directory"));
        }
        Path config = bundle.resolve("config.json");
        if (Files.exists(config)) throw BerthException.invalid("File config.json exists. Remove it first");
        Files.write(config, json.getBytes(StandardCharsets.UTF_8));
    }
}
