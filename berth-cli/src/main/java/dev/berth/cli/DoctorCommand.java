package dev.berth.cli;

import dev.berth.rootless.HostCheck;
import dev.berth.sys.Sys;
import java.util.List;

/**
 * {@code berth doctor}: checks this host for what rootless containers need and prints, for each
 * problem, the command that fixes it. Exit status 1 when something needs fixing.
 */
final class DoctorCommand implements Command {
    @Override
    public String name() {
        return "doctor";
    }

    @Override
    public String summary() {
        return "check this host for rootless containers";
    }

    @Override
    public String argsUsage() {
        return "";
    }

    @Override
    public String description() {
        return "Check user namespaces, /etc/subuid and /etc/subgid, newuidmap and newgidmap, idmapped mounts,\n"
                + "cgroup v2 delegation and the state directory for the calling user, and print what to fix.";
    }

    @Override
    public List<Flag> flags() {
        return List.of();
    }

    @Override
    public int run(Context ctx, ParsedArgs a) throws UsageException {
        Arity.exactly(this, a, 0);
        boolean allOk = true;
        StringBuilder sb = new StringBuilder();
        for (HostCheck.Finding f : HostCheck.forCaller(Sys.getuid()).run()) {
            allOk &= f.ok();
            sb.append(f.ok() ? "ok    " : "FIX   ").append(f.topic()).append(": ").append(f.detail()).append('\n');
            if (!f.ok() && f.fix() != null) sb.append("      fix: ").append(f.fix()).append('\n');
        }
        ctx.out().print(sb.toString());
        return allOk ? 0 : 1;
    }
}
