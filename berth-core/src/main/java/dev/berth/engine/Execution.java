package dev.berth.engine;

import dev.berth.api.BerthException;
import dev.berth.api.ExecOptions;
import dev.berth.api.Log;
import dev.berth.api.Status;
import dev.berth.cgroup.Cgroups;
import dev.berth.plan.ExecPlan;
import dev.berth.plan.Message;
import dev.berth.plan.Protocol;
import dev.berth.spec.LinuxSpec;
import dev.berth.spec.ProcessOverrides;
import dev.berth.spec.ProcessSpec;
import dev.berth.spec.SpecLoader;
import dev.berth.state.ContainerRecord;
import dev.berth.state.StateStore;
import dev.berth.sys.ProcessInfo;
import dev.berth.sys.Sys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * exec: a new process in a running container. berth-init joins the namespaces of the
 * container's init (one setns on its pidfd, or one by one), berth puts it in the container's
 * cgroups, and it execs the process with the container's or process.json's settings.
 */
public final class Execution {
    /** The namespaces of /proc/PID/ns and their CLONE_NEW* flags. */
    private static final String[] NAMESPACES = {"user", "mnt", "pid", "net", "ipc", "uts", "cgroup", "time"};
    private static final int[] FLAGS = {0x10000000, 0x20000, 0x20000000, 0x40000000, 0x08000000, 0x04000000,
        0x02000000, 0x80};

    private final StateStore store;
    private final Log log;

    public Execution(StateStore store, Log log) {
        this.store = store;
        this.log = log;
    }

    /** Runs the process; returns its exit status (128+N for signal N), or 0 once it runs with detach. */
    public int exec(String id, ExecOptions o) {
        Started started;
        AtomicInteger target = new AtomicInteger();
        if (!o.detach()) {
            // The process is orphaned by its helper; berth must be the one it is reparented to.
            Sys.setChildSubreaper();
            Foreground.installForwarding(target);
        }
        // The lock covers the status check only, as runc's exec takes none: an exec into a paused
        // container waits until it is thawed, which must not keep resume or delete out.
        ContainerRecord r;
        try (AutoCloseable lock = store.lock(id)) {
            r = store.read(id);
            checkStatus(r, o);
        } catch (BerthException e) {
            throw e;
        } catch (Exception e) {
            throw new BerthException(BerthException.Kind.SYSTEM, "exec in " + id + ": " + e, 0, e);
        }
        started = start(r, o);
        if (o.detach()) return 0;
        target.set(started.pid);
        if (started.console >= 0) {
            try {
                return TerminalCopy.run(started.console, () -> waitFor(started.pid));
            } finally {
                Sys.close(started.console);
            }
        }
        return waitFor(started.pid);
    }

    private record Started(int pid, int console) {
    }

    private void checkStatus(ContainerRecord r, ExecOptions o) {
        Status s = StatusReader.status(store, r);
        switch (s) {
            case STOPPED -> throw new BerthException(BerthException.Kind.STATE, "cannot exec in a stopped container");
            case CREATING -> throw new BerthException(BerthException.Kind.STATE,
                    "cannot exec in a container that is being created");
            case PAUSED -> {
                if (!o.ignorePaused()) {
                    throw new BerthException(BerthException.Kind.STATE,
                            "cannot exec in a paused container (use --ignore-paused to override)");
                }
            }
            default -> { }
        }
    }

    /** Spawns the helper for the process and returns once it runs (the init is pinned by its pidfd). */
    private Started start(ContainerRecord r, ExecOptions o) {
        ProcessSpec process = ProcessOverrides.apply(baseProcess(r, o), o);
        Console.check(process.terminal(), o.detach(), o.consoleSocket());
        List<ExecPlan.Join> joins = joins(r.pid());
        int level = log.enabled(Log.Level.DEBUG) ? Protocol.LOG_DEBUG : Protocol.LOG_WARN;
        LinuxSpec linux = SpecLoader.load(r.bundle()).linux();
        List<String> warnings = new ArrayList<>();
        byte[] plan = ExecPlan.build(process, linux, warnings, joins, true, o.preserveFds(), level);
        for (String w : warnings) log.warn(w);

        int pidfd = pidfd(r);
        HelperProcess helper;
        try {
            helper = HelperProcess.spawn(pidfd, o.preserveFds());
        } finally {
            Sys.close(pidfd);
        }
        int pid = 0;
        int console = -1;
        try (HelperChannel channel = helper.channel()) {
            Cgroups.join(r.cgroupDirs(), helper.pid());
            channel.send(plan);
            while (true) {
                Message m = channel.receive();
                if (m == null) break;
                switch (m.kind()) {
                    case Protocol.MSG_EXECED -> pid = m.u32(Protocol.A_PID, 0);
                    case Protocol.MSG_SEND_FD -> {
                        if (!"console".equals(m.str(Protocol.A_NAME, ""))) {
                            notifyDescriptor(channel, linux, r);
                            continue;
                        }
                        int master = Console.master(m, channel);
                        if (o.consoleSocket() != null) {
                            Console.deliver(master, o.consoleSocket());
                        } else {
                            console = master;
                        }
                    }
                    case Protocol.MSG_LOG -> log.log(Log.Level.DEBUG, "berth-init: " + m.str(Protocol.A_MESSAGE, ""));
                    case Protocol.MSG_ERROR -> throw HelperError.from(m);
                    default -> throw new BerthException(BerthException.Kind.SYSTEM,
                            "berth-init sent an unexpected message of kind " + m.kind());
                }
            }
            if (pid == 0) throw new BerthException(BerthException.Kind.SYSTEM, "berth-init exited before the exec");
            // With a PID namespace the helper forked the process and exited; without, it is the process.
            if (pid != helper.pid()) Sys.waitpid(helper.pid(), 0);
            if (o.pidFile() != null) Creation.writePidFile(o.pidFile(), pid);
            return new Started(pid, console);
        } catch (RuntimeException e) {
            Sys.close(console);
            if (pid > 0) Sys.signal(pid, 0, 9);
            Sys.signal(helper.pid(), 0, 9);
            reapQuietly(helper.pid());
            if (pid > 0 && pid != helper.pid()) reapQuietly(pid);
            throw e;
        }
    }

    /** The seccomp notify descriptor of the exec'd process's filter, for the agent at listenerPath. */
    private static void notifyDescriptor(HelperChannel channel, LinuxSpec linux, ContainerRecord r) {
        int fd = channel.takeDescriptor();
        try {
            if (fd < 0 || linux.seccomp() == null) {
                throw new BerthException(BerthException.Kind.SYSTEM, "berth-init sent an unexpected descriptor");
            }
            SeccompListener.send(linux.seccomp(), r, r.pid(), fd);
            channel.ack(0, null);
        } catch (BerthException e) {
            channel.ack(e.errno() == 0 ? 1 : e.errno(), e.getMessage());
            throw e;
        } finally {
            Sys.close(fd);
        }
    }

    /** The process.json given, or the container's config.json process (runc reads the bundle's). */
    private ProcessSpec baseProcess(ContainerRecord r, ExecOptions o) {
        if (o.processFile() != null) {
            List<String> warnings = new ArrayList<>();
            ProcessSpec p = SpecLoader.loadProcess(o.processFile(), warnings);
            for (String w : warnings) log.warn(w);
            return p;
        }
        ProcessSpec p = SpecLoader.load(r.bundle()).process();
        if (p == null) throw BerthException.invalid("exec: " + r.bundle().resolve("config.json") + " has no process");
        if (o.args().isEmpty()) throw BerthException.invalid("exec: no command given (and no --process)");
        // The container's terminal is its init's: exec gets one only when asked (-t).
        return new ProcessSpec(false, p.consoleSize(), p.user(), p.args(), p.commandLine(), p.env(), p.cwd(),
                p.capabilities(), p.rlimits(), p.noNewPrivileges(), p.apparmorProfile(), p.oomScoreAdj(),
                p.selinuxLabel(), p.ioPriority(), p.scheduler(), p.execCPUAffinity());
    }

    /** Every namespace of the init that is not berth's own: those the process must enter. */
    static List<ExecPlan.Join> joins(int initPid) {
        List<ExecPlan.Join> joins = new ArrayList<>();
        for (int i = 0; i < NAMESPACES.length; i++) {
            Path theirs = Path.of("/proc/" + initPid + "/ns/" + NAMESPACES[i]);
            String target = link(theirs);
            if (target == null) continue; // a namespace type this kernel does not have
            if (!target.equals(link(Path.of("/proc/self/ns/" + NAMESPACES[i])))) {
                joins.add(new ExecPlan.Join(FLAGS[i], theirs.toString()));
            }
        }
        return joins;
    }

    private static String link(Path p) {
        try {
            return Files.readSymbolicLink(p).toString();
        } catch (IOException e) {
            return null;
        }
    }

    /** A pidfd of the init, checked to be the process the record names (a PID may be reused). */
    private static int pidfd(ContainerRecord r) {
        long fd = Sys.raw(Sys.Nr.PIDFD_OPEN, r.pid(), 0, 0);
        if (fd < 0) throw new BerthException(BerthException.Kind.STATE, "container's init " + r.pid() + " is gone");
        if (ProcessInfo.startTime(r.pid()) != r.pidStart()) {
            Sys.close((int) fd);
            throw new BerthException(BerthException.Kind.STATE, "container's init " + r.pid() + " is gone");
        }
        return (int) fd;
    }

    private static int waitFor(int pid) {
        try {
            return Sys.exitCode(Sys.waitpid(pid, 0));
        } catch (BerthException e) {
            if (e.errno() != Sys.ECHILD) throw e;
            // Not our child (a subreaper above berth took it): wait until it is gone.
            while (ProcessInfo.state(pid) != 0 && ProcessInfo.state(pid) != 'Z') ContainerOps.sleep(10);
            return 0;
        }
    }

    private static void reapQuietly(int pid) {
        try {
            Sys.waitpid(pid, 0);
        } catch (BerthException ignored) {
            // already reaped, or not ours
        }
    }
}
