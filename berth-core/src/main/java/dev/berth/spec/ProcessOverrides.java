package dev.berth.spec;

import dev.berth.api.BerthException;
import dev.berth.api.ExecOptions;
import dev.berth.spec.ProcessSpec.Capabilities;
import dev.berth.spec.ProcessSpec.User;
import java.util.ArrayList;
import java.util.List;

/**
 * The process exec runs: the container's (or a process.json's) with exec's flags applied, as
 * runc's getProcess does. The security fields (capabilities, noNewPrivileges, AppArmor and
 * SELinux labels) are set here and applied by the helper's process settings.
 */
public final class ProcessOverrides {
    private ProcessOverrides() {}

    public static ProcessSpec apply(ProcessSpec base, ExecOptions o) {
        List<String> args = o.args().isEmpty() ? base.args() : o.args();
        if (args.isEmpty()) throw BerthException.invalid("exec: no command given: args must not be empty");
        String cwd = o.cwd() != null && !o.cwd().isEmpty() ? o.cwd() : base.cwd();
        if (!cwd.startsWith("/")) throw BerthException.invalid("--cwd: \"" + cwd + "\" must be an absolute path");
        User u = base.user();
        List<Long> groups = new ArrayList<>(u.additionalGids());
        groups.addAll(o.additionalGids());
        User user = new User(o.uid() != null ? o.uid() : u.uid(), o.gid() != null ? o.gid() : u.gid(), u.umask(),
                groups, u.username());
        return new ProcessSpec(base.terminal() || o.tty(), base.consoleSize(), user, args, base.commandLine(),
                withEnv(base.env(), o.env()), cwd, capabilities(base.capabilities(), o.capabilities()),
                base.rlimits(), o.noNewPrivileges() != null ? o.noNewPrivileges() : base.noNewPrivileges(),
                o.apparmorProfile() != null ? o.apparmorProfile() : base.apparmorProfile(), base.oomScoreAdj(),
                o.processLabel() != null ? o.processLabel() : base.selinuxLabel(), base.ioPriority(),
                base.scheduler(), base.execCPUAffinity());
    }

    /**
     * {@code env} with {@code added} NAME=value entries: a name already there gets the new value
     * in its place, others are appended (the last of duplicates wins, as with runc).
     */
    public static List<String> withEnv(List<String> env, List<String> added) {
        List<String> out = new ArrayList<>(env);
        for (String e : added) {
            int eq = e.indexOf('=');
            if (eq <= 0) throw BerthException.invalid("--env: \"" + e + "\" must have the form NAME=value");
            String prefix = e.substring(0, eq + 1);
            boolean replaced = false;
            for (int i = 0; i < out.size(); i++) {
                if (out.get(i).startsWith(prefix)) {
                    out.set(i, e);
                    replaced = true;
                }
            }
            if (!replaced) out.add(e);
        }
        return out;
    }

    /** runc's --cap: added to bounding, effective and permitted; to ambient only with an inheritable set. */
    static Capabilities capabilities(Capabilities base, List<String> added) {
        if (added.isEmpty()) return base;
        Capabilities b = base != null ? base : new Capabilities(null, null, null, null, null);
        return new Capabilities(plus(b.bounding(), added), plus(b.effective(), added), b.inheritable(),
                plus(b.permitted(), added), b.inheritable() != null ? plus(b.ambient(), added) : b.ambient());
    }

    private static List<String> plus(List<String> set, List<String> added) {
        List<String> out = set == null ? new ArrayList<>() : new ArrayList<>(set);
        for (String c : added) {
            if (!out.contains(c)) out.add(c);
        }
        return List.copyOf(out);
    }
}
