package dev.berth.cli;

import dev.berth.api.BerthException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code berth ps [--format table|json] <id> [ps options]}: as runc, the table is the host's
 * {@code ps} (default {@code -ef}) cut down to the container's processes, found by the PID
 * column; json is the list of PIDs. Flags must come before the id: what follows it is for ps.
 */
final class PsCommand implements Command {
    static final Flag FORMAT = Flag.string("format", "f", "select one of: table or json (default: \"table\")");

    @Override
    public String name() {
        return "ps";
    }

    @Override
    public String summary() {
        return "ps displays the processes running inside a container";
    }

    @Override
    public String argsUsage() {
        return "<container-id> [ps options]";
    }

    @Override
    public List<Flag> flags() {
        return List.of(FORMAT);
    }

    @Override
    public boolean reorderArgs() {
        return false;
    }

    @Override
    public int run(Context ctx, ParsedArgs a) throws Exception {
        Arity.atLeast(this, a, 1);
        String id = ContainerIds.check(a.arg(0));
        List<Integer> pids = ctx.runtime().get(id).processes();
        String format = a.string(FORMAT, "table");
        if (format.equals("json")) {
            // json.Encoder of a Go slice: "null" when there is none, and a newline.
            ctx.out().print((pids.isEmpty() ? "null" : GoJson.compact(pids)) + "\n");
            return 0;
        }
        if (!format.equals("table")) throw BerthException.invalid("invalid format option");
        List<String> psArgs = new ArrayList<>(a.args().subList(1, a.args().size()));
        if (psArgs.isEmpty()) psArgs.add("-ef");
        ctx.out().print(filter(runPs(psArgs), pids));
        return 0;
    }

    private static String runPs(List<String> args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add("ps");
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.INHERIT)
                .start();
        String out = new String(p.getInputStream().readAllBytes());
        int status = p.waitFor();
        if (status != 0) throw BerthException.invalid("exit status " + status + ": " + out);
        return out;
    }

    /** The header and the lines whose PID column is one of {@code pids}. */
    static String filter(String psOutput, List<Integer> pids) {
        String[] lines = psOutput.split("\n");
        int pidIndex = -1;
        String[] header = fields(lines[0]);
        for (int i = 0; i < header.length; i++) {
            if (header[i].equals("PID")) {
                pidIndex = i;
                break;
            }
        }
        if (pidIndex < 0) throw BerthException.invalid("couldn't find PID field in ps output");
        StringBuilder sb = new StringBuilder(lines[0]).append('\n');
        for (int i = 1; i < lines.length; i++) {
            if (lines[i].isEmpty()) continue;
            String[] f = fields(lines[i]);
            if (pidIndex >= f.length) continue;
            int pid;
            try {
                pid = Integer.parseInt(f[pidIndex]);
            } catch (NumberFormatException e) {
                throw BerthException.invalid("unexpected pid '" + f[pidIndex] + "': " + e.getMessage());
            }
            if (pids.contains(pid)) sb.append(lines[i]).append('\n');
        }
        return sb.toString();
    }

    private static String[] fields(String line) {
        String t = line.trim();
        return t.isEmpty() ? new String[0] : t.split("\\s+");
    }
}
