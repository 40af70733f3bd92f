package dev.berth.cli;

import dev.berth.api.BerthException;
import dev.berth.api.Container;
import dev.berth.api.ContainerState;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code berth list}: runc's table (Go tabwriter, minwidth 12, padding 3), {@code -q} for ids,
 * or {@code --format json}: one line, and {@code null} when there is no container, because runc
 * encodes a nil Go slice.
 */
final class ListCommand implements Command {
    static final Flag FORMAT = Flag.string("format", "f", "select one of: table or json (default: \"table\")");
    static final Flag QUIET = Flag.bool("quiet", "q", "display only container IDs");

    @Override
    public String name() {
        return "list";
    }

    @Override
    public String summary() {
        return "lists containers started by berth with the given root";
    }

    @Override
    public String argsUsage() {
        return "\n\nThe root is the global option \"--root\" (default: /run/berth for root,\n"
                + "$XDG_RUNTIME_DIR/berth for other users).";
    }

    @Override
    public List<Flag> flags() {
        return List.of(FORMAT, QUIET);
    }

    @Override
    public int run(Context ctx, ParsedArgs a) throws UsageException {
        Arity.exactly(this, a, 0);
        List<ContainerState> states = states(ctx);
        if (a.bool(QUIET)) {
            StringBuilder sb = new StringBuilder();
            for (ContainerState s : states) sb.append(s.id()).append('\n');
            ctx.out().print(sb.toString());
            return 0;
        }
        switch (a.string(FORMAT, "table")) {
            case "table" -> ctx.out().print(table(states));
            case "json" -> ctx.out().print(json(states));
            default -> throw BerthException.invalid("invalid format option");
        }
        return 0;
    }

    /**
     * The state of every container; one that cannot be read is reported on stderr and left out,
     * as runc does, so that one broken state file does not hide the others.
     */
    private static List<ContainerState> states(Context ctx) {
        // A root that does not exist yet holds no containers. runc 1.1 creates a missing --root
        // here and lists nothing, runc 1.2 fails for it; berth lists nothing and creates nothing.
        if (!Files.exists(ctx.root())) return List.of();
        List<ContainerState> states = new ArrayList<>();
        for (Container c : ctx.runtime().list()) {
            try {
                states.add(c.state());
            } catch (BerthException e) {
                ctx.out().printError("state for " + c.id() + ": " + e.getMessage() + "\n");
            }
        }
        return states;
    }

    static String table(List<ContainerState> states) {
        TabWriter w = TabWriter.runcList().write("ID\tPID\tSTATUS\tBUNDLE\tCREATED\tOWNER\n");
        for (ContainerState s : states) {
            Map<String, Object> v = StateView.of(s, true);
            w.write(s.id() + "\t" + s.pid() + "\t" + v.get("status") + "\t" + v.get("bundle") + "\t"
                    + v.get("created") + "\t" + v.get("owner") + "\n");
        }
        return w.flush();
    }

    /** json.NewEncoder(os.Stdout).Encode: compact, with a newline. */
    static String json(List<ContainerState> states) {
        if (states.isEmpty()) return "null\n";
        List<Object> views = new ArrayList<>(states.size());
        for (ContainerState s : states) views.add(StateView.of(s, true));
        return GoJson.compact(views) + "\n";
    }
}
