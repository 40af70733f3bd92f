package dev.berth.it.support;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The runtime under test with a private state directory: every call is
 * {@code runtime --root ROOT --log LOG --log-format json COMMAND ...}, so no test ever sees or
 * touches another's containers (nor /run/runc, /run/berth).
 */
public final class Cli {
    private final Path root;
    private final Path log;
    private final Path scratch;
    private final Sandbox owner;

    Cli(Sandbox owner, Path root, Path log, Path scratch) {
        this.owner = owner;
        this.root = root;
        this.log = log;
        this.scratch = scratch;
    }

    public Path root() {
        return root;
    }

    public Path log() {
        return log;
    }

    /** The full command line for a runtime command, global flags first. */
    public List<String> argv(String... args) {
        List<String> a = new ArrayList<>(List.of(RuntimeUnderTest.binary().toString(),
                "--root", root.toString(), "--log", log.toString(), "--log-format", "json"));
        a.addAll(Arrays.asList(args));
        return a;
    }

    /** A runtime command ready to be adjusted (working directory, stdin, time limit) and run. */
    public Exec exec(String... args) {
        rememberIds(args);
        return Exec.of(argv(args)).scratch(scratch).log(log);
    }

    /** Runs a runtime command and returns its result, whatever the exit status. */
    public Result call(String... args) {
        return exec(args).run();
    }

    /** {@code run --bundle DIR ID} in the foreground: the container's output and exit status. */
    public Result run(Bundle b, String... flags) {
        return exec(withBundle("run", b, flags)).run();
    }

    /** {@code create --bundle DIR ID}, failing the test if it fails. */
    public Result create(Bundle b, String... flags) {
        return exec(withBundle("create", b, flags)).run().assertOk();
    }

    /** {@code COMMAND [flags] --bundle DIR ID}, writing the bundle's config first. */
    public String[] withBundle(String command, Bundle b, String... flags) {
        b.write();
        List<String> a = new ArrayList<>();
        a.add(command);
        a.addAll(Arrays.asList(flags));
        a.add("--bundle");
        a.add(b.dir().toString());
        a.add(b.id());
        return a.toArray(String[]::new);
    }

    /** {@code state ID}, parsed; fails the test if the command fails. */
    public Map<String, Object> state(String id) {
        Result r = call("state", id).assertOk();
        try {
            return Json.parseObject(r.stdout());
        } catch (IllegalArgumentException e) {
            throw new AssertionError("state output is not a JSON object: " + e.getMessage() + "\n" + r.describe());
        }
    }

    /** The "status" field of {@code state ID}. */
    public String status(String id) {
        return String.valueOf(state(id).get("status"));
    }

    /** Waits until the container reports {@code status}; fails the test after 10 s. */
    public void awaitStatus(String id, String status) {
        String[] last = {""};
        boolean ok = Host.waitFor(java.time.Duration.ofSeconds(10), () -> {
            Result r = call("state", id);
            if (r.exit() != 0) {
                last[0] = r.describe();
                return false;
            }
            last[0] = String.valueOf(Json.parseObject(r.stdout()).get("status"));
            return last[0].equals(status);
        });
        if (!ok) throw new AssertionError("container " + id + " never reached status " + status + "; last: " + last[0]);
    }

    /** The ids {@code list -q} prints. */
    public List<String> listIds() {
        Result r = call("list", "-q").assertOk();
        List<String> ids = new ArrayList<>();
        for (String l : r.stdout().split("\n")) {
            if (!l.isBlank()) ids.add(l.strip());
        }
        return ids;
    }

    private void rememberIds(String... args) {
        if (args.length == 0) return;
        String cmd = args[0];
        if (cmd.equals("create") || cmd.equals("run")) owner.track(args[args.length - 1]);
    }
}
