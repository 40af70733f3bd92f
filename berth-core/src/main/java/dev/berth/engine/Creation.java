package dev.berth.engine;

import dev.berth.api.BerthException;
import dev.berth.api.CreateOptions;
import dev.berth.api.Log;
import dev.berth.api.Status;
import dev.berth.cgroup.Cgroups;
import dev.berth.hooks.HookRunner;
import dev.berth.plan.Message;
import dev.berth.plan.Protocol;
import dev.berth.state.ContainerRecord;
import dev.berth.state.StateStore;
import dev.berth.sys.ProcessInfo;
import dev.berth.sys.Sys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The create operation: validate, record, make the cgroup, spawn berth-init into it, answer its
 * requests, and return when the init waits on exec.fifo. Whatever fails, nothing is left behind;
 * and whatever is killed half-way, the state directory records enough for delete --force.
 */
public final class Creation {
    private final StateStore store;
    private final Log log;
    private final boolean foreground;
    private int consoleMaster = -1;

    public Creation(StateStore store, Log log) {
        this(store, log, false);
    }

    /** {@code foreground}: run stays with the container, so a terminal needs no console socket. */
    Creation(StateStore store, Log log, boolean foreground) {
        this.store = store;
        this.log = log;
        this.foreground = foreground;
    }

    /** The pty's master of a foreground container with a terminal, else -1; the caller closes it. */
    int consoleMaster() {
        return consoleMaster;
    }

    /** Creates the container; returns the init's PID. */
    public int create(String id, Path bundle, CreateOptions options) {
        try {
            return doCreate(id, bundle.toAbsolutePath().normalize(), options);
        } catch (BerthException e) {
            throw e.within("create " + id);
        }
    }

    private int doCreate(String id, Path bundle, CreateOptions options) {
        ContainerId.check(id);
        Path notifyDir = store.dir(id).resolve(NotifyRelay.DIR);
        BundleConfig cfg = BundleConfig.load(bundle, id, options, notifyDir, log);
        Console.check(cfg.terminal(), !foreground, options.consoleSocket());
        store.createDir(id);
        ContainerRecord record = null;
        int stage0 = 0;
        try (AutoCloseable lock = store.lock(id)) {
            int self = Sys.getpid();
            record = new ContainerRecord(id, cfg.ociVersion(), bundle, cfg.rootfs(), Instant.now(), 0, 0, self,
                    ProcessInfo.startTime(self), cfg.annotations(), cfg.cgroupDirs(), storedHooks(cfg));
            store.write(record);
            if (options.notifySocket() != null) Files.createDirectories(notifyDir);
            Sys.mkfifo(store.fifo(id).toString(), 0622);
            // Not left to the umask: an init that switched to another user must still open it.
            Files.setPosixFilePermissions(store.fifo(id), PosixFilePermissions.fromString("rw--w--w-"));
            Cgroups.create(cfg.cgroupDirs());
            // Every limit is in place before berth-init joins: nothing of the container ever runs unlimited.
            cfg.cgroup().enableControllers();
            cfg.cgroup().apply(cfg.limits());

            HelperProcess helper;
            int fifo = Sys.openat("open " + store.fifo(id), store.fifo(id).toString(), Sys.O_PATH | Sys.O_CLOEXEC, 0);
            try {
                helper = HelperProcess.spawn(fifo, options.passedFds());
            } finally {
                Sys.close(fifo);
            }
            stage0 = helper.pid();
            try (HelperChannel channel = helper.channel()) {
                Cgroups.join(cfg.cgroupDirs(), stage0);
                channel.send(cfg.plan());
                record = converse(channel, record, cfg, options);
            }
            Sys.waitpid(stage0, 0);
            stage0 = 0;
            if (options.pidFile() != null) writePidFile(options.pidFile(), record.pid());
            record = record.withoutCreator();
            store.write(record);
            return record.pid();
        } catch (Exception e) {
            Sys.close(consoleMaster);
            consoleMaster = -1;
            cleanUp(id, record, stage0);
            if (e instanceof BerthException be) throw be;
            throw new BerthException(BerthException.Kind.SYSTEM, e.toString(), 0, e);
        }
    }

    /** Answers the helper's requests until the init is ready. */
    private ContainerRecord converse(HelperChannel channel, ContainerRecord record, BundleConfig cfg,
            CreateOptions options) {
        while (true) {
            Message m = channel.receive();
            if (m == null) {
                throw new BerthException(BerthException.Kind.SYSTEM,
                        "berth-init exited before the container was ready");
            }
            switch (m.kind()) {
                case Protocol.MSG_CHILD_PID -> {
                    int pid = m.u32(Protocol.A_PID, 0);
                    record = record.withPid(pid, ProcessInfo.startTime(pid));
                    store.write(record);
                }
                case Protocol.MSG_MAP_IDS -> {
                    int pid = m.u32(Protocol.A_PID, 0);
                    try {
                        // Without a new user namespace the helper asks only for the idmapped trees.
                        if (cfg.newUserNamespace()) IdMapWriter.write(pid, cfg.uidMappings(), cfg.gidMappings());
                        int[] trees = IdmappedTrees.open(cfg.containerUserNamespace(pid), cfg.idmappedTrees());
                        try {
                            channel.ackWithFds(trees);
                        } finally {
                            for (int t : trees) Sys.close(t);
                        }
                    } catch (BerthException e) {
                        channel.ack(e.errno() == 0 ? 1 : e.errno(), e.getMessage());
                        throw e;
                    }
                }
                case Protocol.MSG_HOOKS -> {
                    String state = HookState.json(record, Status.CREATING, record.pid());
                    try {
                        HookRunner.runAll("prestart", cfg.hooks("prestart"), state);
                        HookRunner.runAll("createRuntime", cfg.hooks("createRuntime"), state);
                        // startContainer hooks run in the container after start, when it is "created".
                        channel.ack(0, null, state, HookState.json(record, Status.CREATED, record.pid()));
                    } catch (BerthException e) {
                        channel.ack(e.errno() == 0 ? 1 : e.errno(), e.getMessage());
                        throw e;
                    }
                }
                case Protocol.MSG_SEND_FD -> {
                    if (!"console".equals(m.str(Protocol.A_NAME, ""))) {
                        passFd(channel, m, record, cfg);
                    } else {
                        int master = Console.master(m, channel);
                        if (options.consoleSocket() != null) {
                            Console.deliver(master, options.consoleSocket());
                        } else {
                            consoleMaster = master;
                        }
                    }
                }
                case Protocol.MSG_LOG -> log.log(level(m.u32(Protocol.A_LEVEL, Protocol.LOG_INFO)),
                        "berth-init: " + m.str(Protocol.A_MESSAGE, ""));
                case Protocol.MSG_ERROR -> throw HelperError.from(m);
                case Protocol.MSG_READY -> {
                    return record;
                }
                default -> throw new BerthException(BerthException.Kind.SYSTEM,
                        "berth-init sent an unexpected message of kind " + m.kind());
            }
        }
    }

    /** A descriptor from the init: the seccomp notify descriptor, for the agent at listenerPath. */
    private static void passFd(HelperChannel channel, Message m, ContainerRecord record, BundleConfig cfg) {
        int fd = channel.takeDescriptor();
        try {
            String name = m.str(Protocol.A_NAME, "");
            if (fd < 0) throw new BerthException(BerthException.Kind.SYSTEM, "berth-init sent no " + name + " descriptor");
            if (!name.equals("seccomp") || cfg.seccomp() == null) {
                throw new BerthException(BerthException.Kind.SYSTEM, "berth-init sent an unexpected descriptor " + name);
            }
            SeccompListener.send(cfg.seccomp(), record, record.pid(), fd);
            channel.ack(0, null);
        } catch (BerthException e) {
            channel.ack(e.errno() == 0 ? 1 : e.errno(), e.getMessage());
            throw e;
        } finally {
            Sys.close(fd);
        }
    }

    private void cleanUp(String id, ContainerRecord record, int stage0) {
        try {
            if (stage0 > 0) {
                Sys.signal(stage0, 0, 9);
                Sys.waitpid(stage0, 0);
            }
            if (record != null) {
                ContainerOps.stopAll(record);
                Cgroups.remove(record.cgroupDirs());
            }
        } catch (RuntimeException e) {
            log.warn("clean up after failed create of " + id + ": " + e.getMessage());
        } finally {
            store.remove(id);
        }
    }

    private static Map<String, Object> storedHooks(BundleConfig cfg) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("poststart", HookState.toJson(cfg.hooks("poststart")));
        m.put("poststop", HookState.toJson(cfg.hooks("poststop")));
        return m;
    }

    private static Log.Level level(int l) {
        return switch (l) {
            case Protocol.LOG_ERROR -> Log.Level.ERROR;
            case Protocol.LOG_WARN -> Log.Level.WARN;
            case Protocol.LOG_DEBUG -> Log.Level.DEBUG;
            default -> Log.Level.INFO;
        };
    }

    static void writePidFile(Path file, int pid) {
        try {
            Path abs = file.toAbsolutePath();
            Path tmp = abs.resolveSibling("." + abs.getFileName() + ".tmp");
            Files.writeString(tmp, Integer.toString(pid));
            Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new BerthException(BerthException.Kind.SYSTEM, "write pid file " + file + ": " + e, 0, e);
        }
    }
}
