package dev.berth.spec;

import dev.berth.spec.ProcessSpec.Capabilities;
import dev.berth.spec.ProcessSpec.ConsoleSize;
import dev.berth.spec.ProcessSpec.CpuAffinity;
import dev.berth.spec.ProcessSpec.IoPriority;
import dev.berth.spec.ProcessSpec.Rlimit;
import dev.berth.spec.ProcessSpec.Scheduler;
import dev.berth.spec.ProcessSpec.User;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Reads the process section of config.json. */
final class ProcessParser {
    private static final Set<String> IO_CLASSES = Set.of("IOPRIO_CLASS_RT", "IOPRIO_CLASS_BE", "IOPRIO_CLASS_IDLE");
    private static final Set<String> SCHED_POLICIES = Set.of("SCHED_OTHER", "SCHED_FIFO", "SCHED_RR",
            "SCHED_BATCH", "SCHED_ISO", "SCHED_IDLE", "SCHED_DEADLINE");

    ProcessSpec parse(Node p) {
        boolean terminal = p.bool("terminal");
        Node cs = p.obj("consoleSize");
        ConsoleSize consoleSize = null;
        if (cs != null) {
            consoleSize = new ConsoleSize(cs.u32("height", 0), cs.u32("width", 0));
            cs.finish();
        }
        User user = user(p.obj("user"));
        List<String> args = args(p);
        String commandLine = p.str("commandLine");
        List<String> env = p.strings("env");
        for (int i = 0; i < env.size(); i++) {
            if (env.get(i).indexOf('=') <= 0) {
                throw p.report().error(p.at("env") + "[" + i + "]",
                        "\"" + env.get(i) + "\" must have the form NAME=value");
            }
        }
        String cwd = p.reqStr("cwd");
        if (!cwd.startsWith("/")) throw p.error("cwd", "\"" + cwd + "\" must be an absolute path");
        Capabilities caps = capabilities(p.obj("capabilities"));
        List<Rlimit> rlimits = new ArrayList<>();
        for (Node r : p.objs("rlimits")) {
            Rlimit limit = rlimit(r);
            // runtime-spec: "If rlimits contains duplicated entries with same type, the runtime MUST error out."
            for (Rlimit earlier : rlimits) {
                if (earlier.type().equals(limit.type())) throw r.error("type", "duplicate limit " + limit.type());
            }
            rlimits.add(limit);
        }
        boolean noNewPrivileges = p.bool("noNewPrivileges");
        String apparmor = SpecParser.emptyToNull(p.str("apparmorProfile"));
        Integer oom = p.i32("oomScoreAdj");
        if (oom != null && (oom < -1000 || oom > 1000)) throw p.error("oomScoreAdj", "must be from -1000 to 1000");
        String selinux = SpecParser.emptyToNull(p.str("selinuxLabel"));
        IoPriority io = ioPriority(p.obj("ioPriority"));
        Scheduler scheduler = scheduler(p.obj("scheduler"));
        CpuAffinity affinity = null;
        Node a = p.obj("execCPUAffinity");
        if (a != null) {
            affinity = new CpuAffinity(cpus(a, "initial"), cpus(a, "final"));
            a.finish();
        }
        p.finish();
        return new ProcessSpec(terminal, consoleSize, user, args, commandLine, env, cwd, caps, rlimits,
                noNewPrivileges, apparmor, oom, selinux, io, scheduler, affinity);
    }

    private static String cpus(Node a, String key) {
        String list = SpecParser.emptyToNull(a.str(key));
        if (list != null && CpuList.mask(list) == null) {
            throw a.error(key, "\"" + list + "\" is not a list of CPUs below " + CpuList.MAX_CPUS + " (e.g. \"0-3,7\")");
        }
        return list;
    }

    private static List<String> args(Node p) {
        List<String> args;
        try {
            args = p.strings("args");
        } catch (RuntimeException e) {
            args = List.of();
        }
        if (args.isEmpty()) throw p.error("args", "must be a non-empty array of strings");
        return args;
    }

    private static User user(Node u) {
        if (u == null) return User.ROOT;
        User user = new User(u.u32("uid", 0), u.u32("gid", 0), u.u32("umask"), u.u32s("additionalGids"),
                u.str("username"));
        u.finish();
        return user;
    }

    private static Capabilities capabilities(Node c) {
        if (c == null) return null;
        Capabilities caps = new Capabilities(set(c, "bounding"), set(c, "effective"), set(c, "inheritable"),
                set(c, "permitted"), set(c, "ambient"));
        c.finish();
        return caps;
    }

    /**
     * One capability set. A name berth does not know is an error; one this kernel does not know
     * (a newer capability on an older kernel) is ignored with a warning, as runc does.
     */
    private static List<String> set(Node c, String key) {
        if (!c.has(key)) return null;
        List<String> names = c.strings(key);
        int last = Capability.lastCap();
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            int n = Capability.number(name);
            if (n < 0) {
                throw c.report().error(c.at(key) + "[" + i + "]", "unknown capability \"" + name + "\"");
            }
            if (n > last) {
                c.report().warn(c.at(key) + "[" + i + "]: " + name + " is not supported by this kernel (its last "
                        + "capability is " + Capability.name(last) + "), ignored");
            }
        }
        return List.copyOf(names);
    }

    private static Rlimit rlimit(Node r) {
        String type = r.reqStr("type");
        if (ResourceLimit.number(type) < 0) {
            throw r.error("type", "unknown resource limit \"" + type + "\" (expected one of " + ResourceLimit.names()
                    + ")");
        }
        Rlimit limit = new Rlimit(type, r.u64("hard", 0), r.u64("soft", 0));
        if (Long.compareUnsigned(limit.hard(), limit.soft()) < 0) {
            throw r.error("hard", Long.toUnsignedString(limit.hard()) + " is lower than soft "
                    + Long.toUnsignedString(limit.soft()));
        }
        r.finish();
        return limit;
    }

    private static IoPriority ioPriority(Node n) {
        if (n == null) return null;
        String cls = n.reqStr("class");
        if (!IO_CLASSES.contains(cls)) {
            throw n.error("class", "unknown class \"" + cls + "\" (expected IOPRIO_CLASS_RT, IOPRIO_CLASS_BE "
                    + "or IOPRIO_CLASS_IDLE)");
        }
        Integer prio = n.i32("priority");
        if (prio != null && (prio < 0 || prio > 7)) throw n.error("priority", "must be from 0 to 7");
        n.finish();
        return new IoPriority(cls, prio == null ? 0 : prio);
    }

    private static Scheduler scheduler(Node n) {
        if (n == null) return null;
        String policy = n.reqStr("policy");
        if (!SCHED_POLICIES.contains(policy)) throw n.error("policy", "unknown policy \"" + policy + "\"");
        Integer nice = n.i32("nice");
        Integer prio = n.i32("priority");
        Scheduler s = new Scheduler(policy, nice == null ? 0 : nice, prio == null ? 0 : prio, n.strings("flags"),
                n.u64("runtime", 0), n.u64("deadline", 0), n.u64("period", 0));
        for (int i = 0; i < s.flags().size(); i++) {
            if (SchedAttr.flag(s.flags().get(i)) == 0) {
                throw n.report().error(n.at("flags") + "[" + i + "]", "unknown flag \"" + s.flags().get(i) + "\"");
            }
        }
        // runc's rules (validator.go scheduler): each field only where the policy uses it.
        boolean niced = policy.equals("SCHED_OTHER") || policy.equals("SCHED_BATCH");
        if (niced && (s.nice() < -20 || s.nice() > 19)) throw n.error("nice", "must be from -20 to 19");
        boolean realtime = policy.equals("SCHED_FIFO") || policy.equals("SCHED_RR");
        if (s.priority() != 0 && !realtime) throw n.error("priority", "is only allowed with SCHED_FIFO or SCHED_RR");
        if (realtime && (s.priority() < 1 || s.priority() > 99)) throw n.error("priority", "must be from 1 to 99");
        if (!policy.equals("SCHED_DEADLINE") && (s.runtime() != 0 || s.deadline() != 0 || s.period() != 0)) {
            throw n.error(s.runtime() != 0 ? "runtime" : s.deadline() != 0 ? "deadline" : "period",
                    "is only allowed with SCHED_DEADLINE");
        }
        n.finish();
        return s;
    }
}
