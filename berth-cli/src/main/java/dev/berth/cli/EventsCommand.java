package dev.berth.cli;

import dev.berth.api.BerthException;
import dev.berth.api.Container;
import dev.berth.api.Status;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code berth events [--stats] [--interval 5s] <id>}: runc's event lines, one JSON object each:
 * {@code {"type":"stats","id":..,"data":{..}}} every interval and {@code {"type":"oom","id":..}}
 * when the OOM killer kills a process of the container. The OOM counter of the memory
 * controller is polled (every 100 ms) rather than waited on through an eventfd. As runc's, it
 * goes on until the container is deleted.
 */
final class EventsCommand implements Command {
    static final Flag INTERVAL = Flag.string("interval", null, "set the stats collection interval (default: 5s)");
    static final Flag STATS = Flag.bool("stats", null, "display the container's stats then exit");
    private static final long POLL_MS = 100;

    @Override
    public String name() {
        return "events";
    }

    @Override
    public String summary() {
        return "display container events such as OOM notifications, cpu, memory, and IO usage statistics";
    }

    @Override
    public String argsUsage() {
        return "<container-id>\n\nWhere \"<container-id>\" is the name for the instance of the container.";
    }

    @Override
    public String description() {
        return "The events command displays information about the container. By default the\n"
                + "information is displayed once every 5 seconds.";
    }

    @Override
    public java.util.List<Flag> flags() {
        return java.util.List.of(INTERVAL, STATS);
    }

    @Override
    public int run(Context ctx, ParsedArgs a) throws Exception {
        Arity.exactly(this, a, 1);
        String id = ContainerIds.check(a.arg(0));
        long intervalMs = GoDuration.millis(a.string(INTERVAL, "5s"), "interval");
        if (intervalMs <= 0) throw BerthException.invalid("duration interval must be greater than 0");
        Container c = ctx.runtime().get(id);
        if (c.state().status() == Status.STOPPED) {
            throw BerthException.invalid("container with id " + id + " is not running");
        }
        if (a.bool(STATS)) {
            ctx.out().print(event("stats", id, c.stats()));
            return 0;
        }
        long ooms = c.oomKills();
        // As runc's ticker: the first stats come after one interval, and they go on after the
        // container stopped, until it is deleted.
        long nextStats = System.nanoTime() + intervalMs * 1_000_000L;
        while (true) {
            try {
                long before = ooms;
                ooms = c.oomKills();
                for (long i = before; i < ooms; i++) ctx.out().print(event("oom", id, null));
                if (System.nanoTime() >= nextStats) {
                    ctx.out().print(event("stats", id, c.stats()));
                    nextStats = System.nanoTime() + intervalMs * 1_000_000L;
                }
            } catch (BerthException e) {
                if (e.kind() == BerthException.Kind.NOT_FOUND) return 0;
                throw e;
            }
            Thread.sleep(Math.min(POLL_MS, intervalMs));
        }
    }

    /** One event as runc's json.Encoder writes it: compact, "data" left out when empty, a newline. */
    static String event(String type, String id, Map<String, Object> data) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("type", type);
        e.put("id", id);
        if (data != null) e.put("data", data);
        return GoJson.compact(e) + "\n";
    }
}
