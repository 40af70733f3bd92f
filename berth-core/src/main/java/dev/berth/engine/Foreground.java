package dev.berth.engine;

import dev.berth.api.BerthException;
import dev.berth.api.CreateOptions;
import dev.berth.api.Log;
import dev.berth.state.StateStore;
import dev.berth.sys.Sys;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * run without --detach: berth stays as the subreaper of the container's init (which its helper
 * orphaned), forwards the signals it gets to the init, and returns the init's exit status once
 * the container is deleted.
 */
public final class Foreground {
    // The JVM keeps QUIT (thread dumps) and USR2 for itself; these are the ones a user sends.
    private static final String[] FORWARDED = {"TERM", "INT", "HUP", "USR1", "WINCH", "CONT", "ALRM"};

    private final StateStore store;
    private final Log log;

    public Foreground(StateStore store, Log log) {
        this.store = store;
        this.log = log;
    }

    public int run(String id, Path bundle, CreateOptions options) {
        Sys.setChildSubreaper();
        AtomicInteger initPid = new AtomicInteger();
        installForwarding(initPid);
        Creation creation = new Creation(store, log, true);
        int pid = creation.create(id, bundle, options);
        initPid.set(pid);
        int console = creation.consoleMaster();
        ContainerOps ops = new ContainerOps(store, log);
        NotifyRelay relay = null;
        try {
            if (options.notifySocket() != null) {
                relay = NotifyRelay.bind(store.dir(id).resolve(NotifyRelay.DIR), options.notifySocket());
            }
            ops.start(id);
        } catch (BerthException e) {
            if (relay != null) relay.close();
            Sys.close(console);
            deleteQuietly(ops, id);
            throw e;
        }
        if (relay != null) relayInBackground(relay, pid);
        int status;
        if (console >= 0) {
            // A terminal without a console socket: berth is the container's terminal (runc's "run -t").
            try {
                status = TerminalCopy.run(console, () -> waitForInit(pid));
            } finally {
                Sys.close(console);
            }
        } else {
            status = waitForInit(pid);
        }
        deleteQuietly(ops, id);
        return status;
    }

    /** The container's READY=1 goes to the caller's NOTIFY_SOCKET while berth waits for its exit. */
    private void relayInBackground(NotifyRelay relay, int pid) {
        long start = dev.berth.sys.ProcessInfo.startTime(pid);
        Thread t = new Thread(() -> {
            try (relay) {
                relay.relay(pid, start);
            } catch (BerthException e) {
                log.warn(e.getMessage());
            }
        }, "berth-notify");
        t.setDaemon(true);
        t.start();
    }

    private static int waitForInit(int pid) {
        int status;
        while (true) {
            try {
                status = Sys.waitpid(pid, 0);
                break;
            } catch (BerthException e) {
                if (e.errno() == Sys.ECHILD) {
                    // Not our child after all (a subreaper above us took it): poll instead.
                    status = pollUntilGone(pid);
                    break;
                }
                throw e;
            }
        }
        return Sys.exitCode(status);
    }

    private void deleteQuietly(ContainerOps ops, String id) {
        try {
            ops.delete(id, true);
        } catch (BerthException e) {
            log.warn(e.getMessage());
        }
    }

    private static int pollUntilGone(int pid) {
        while (dev.berth.sys.ProcessInfo.state(pid) != 0 && dev.berth.sys.ProcessInfo.state(pid) != 'Z') {
            ContainerOps.sleep(10);
        }
        return 0;
    }

    @SuppressWarnings("removal")
    static void installForwarding(AtomicInteger initPid) {
        for (String name : FORWARDED) {
            try {
                sun.misc.Signal sig = new sun.misc.Signal(name);
                sun.misc.Signal.handle(sig, s -> {
                    int pid = initPid.get();
                    if (pid > 0) Sys.signal(pid, 0, s.getNumber());
                });
            } catch (IllegalArgumentException reservedByJvm) {
                // keep the JVM's own handler
            }
        }
    }
}
