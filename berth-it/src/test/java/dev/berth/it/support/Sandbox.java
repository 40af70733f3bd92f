package dev.berth.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Everything one test creates: a directory under the workspace, a private runtime state root,
 * unique container ids, and the host changes it made (network namespaces, mounts, processes).
 * {@link #close()} undoes all of it even when the test failed: {@code delete --force} for every
 * container the test created or {@code list} still shows, then the registered clean-ups in
 * reverse order, then the directory. A container that {@code delete --force} could not remove
 * fails the test.
 */
public final class Sandbox implements AutoCloseable {
    private static final AtomicInteger SEQ = new AtomicInteger();
    private static final String RUN = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0x10000));

    private final Path dir;
    private final String prefix;
    private final Cli cli;
    private final Set<String> ids = new LinkedHashSet<>();
    private final Deque<Cleanup> cleanups = new ArrayDeque<>();

    private record Cleanup(String what, Runnable action) {
    }

    public Sandbox(String name) {
        int n = SEQ.incrementAndGet();
        String clean = name.replaceAll("[^A-Za-z0-9]+", "-").replaceAll("^-|-$", "");
        if (clean.length() > 40) clean = clean.substring(0, 40);
        try {
            dir = Files.createDirectories(Workspace.base().resolve(n + "-" + clean));
            Path root = Files.createDirectories(dir.resolve("state"));
            Path scratch = Files.createDirectories(dir.resolve("io"));
            prefix = "bit" + RUN + "-" + n;
            cli = new Cli(this, root, dir.resolve("runtime.log"), scratch);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Cli cli() {
        return cli;
    }

    public Path dir() {
        return dir;
    }

    /** A container id unique to this test run: bitRUN-N-name. */
    public String id(String name) {
        return prefix + "-" + name;
    }

    /** A fresh bundle for the container {@code id(name)}. */
    public Bundle bundle(String name) {
        return new Bundle(id(name), dir.resolve("bundle-" + name));
    }

    /** A fresh bundle for {@code id(name)} in {@code parent}, a directory of the sandbox. */
    public Bundle bundleIn(Path parent, String name) {
        return new Bundle(id(name), parent.resolve("bundle-" + name));
    }

    /** A fresh empty directory in the sandbox (a bind source, a hook's output...). */
    public Path mkdir(String name) {
        try {
            return Files.createDirectories(dir.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes an executable script in the sandbox. */
    public Path script(String name, String body) {
        try {
            Path f = dir.resolve(name);
            Files.writeString(f, body);
            f.toFile().setExecutable(true, false);
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Remembers a container id to force-delete at the end. Only ids this sandbox made are kept:
     * clean-up kills processes and removes cgroups by id, so a malformed id from a test of bad
     * input ("", "../x") must never get there.
     */
    public void track(String id) {
        if (owns(id)) ids.add(id);
    }

    /** Whether {@code id} is one of this sandbox's ids (prefix-name, name characters only). */
    public boolean owns(String id) {
        return id.startsWith(prefix + "-") && id.length() > prefix.length() + 1 && id.matches("[A-Za-z0-9_.+-]+");
    }

    /** Registers a clean-up action; they run in reverse order of registration. */
    public void onClose(String what, Runnable action) {
        cleanups.push(new Cleanup(what, action));
    }

    /**
     * Kills a host process at the end if it is still there. The handle is taken now: it carries
     * the process's start time, so a reused pid is never killed.
     */
    public void killAtClose(long pid) {
        ProcessHandle.of(pid).ifPresent(h -> onClose("kill " + pid, () -> {
            if (h.isAlive()) h.destroyForcibly();
        }));
    }

    @Override
    public void close() {
        List<String> problems = new ArrayList<>();
        Set<String> all = new LinkedHashSet<>(ids);
        try {
            for (String id : cli.listIds()) if (owns(id)) all.add(id);
        } catch (AssertionError | RuntimeException e) {
            problems.add("list failed during clean-up: " + e.getMessage());
        }
        for (String id : all) {
            try {
                cli.call("delete", "--force", id);
            } catch (AssertionError | RuntimeException e) {
                problems.add("delete --force " + id + ": " + e.getMessage());
            }
        }
        try {
            List<String> left = cli.listIds();
            if (!left.isEmpty()) problems.add("containers left after delete --force: " + left);
        } catch (AssertionError | RuntimeException e) {
            problems.add("list failed after clean-up: " + e.getMessage());
        }
        for (String id : all) {
            List<Long> pids = Host.processesInCgroup("/" + id);
            if (!pids.isEmpty()) {
                problems.add("processes of " + id + " left after delete --force: " + pids);
                for (long pid : pids) ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
        while (!cleanups.isEmpty()) {
            Cleanup c = cleanups.pop();
            try {
                c.action().run();
            } catch (RuntimeException | AssertionError e) {
                System.err.println("berth-it: clean-up '" + c.what() + "' failed: " + e);
            }
        }
        for (String id : all) removeCgroups("/" + id);
        Host.removeTree(dir);
        if (!problems.isEmpty()) throw new AssertionError(String.join("\n", problems));
    }

    /**
     * Removes cgroup directories the runtime left (runc 1.1 leaves them when its create was
     * killed); the tests that care check for them before this runs.
     */
    static void removeCgroups(String cgroupsPath) {
        if (!cgroupsPath.matches("/bit[0-9a-f]+-[A-Za-z0-9_.+-]+")) {
            throw new IllegalArgumentException("not a test cgroup: " + cgroupsPath);
        }
        Host.waitFor(java.time.Duration.ofSeconds(2), () -> Host.processesInCgroup(cgroupsPath).isEmpty());
        for (Path d : Host.cgroupDirs(cgroupsPath)) {
            Host.trySh("find '" + d + "' -depth -type d -exec rmdir {} + 2>/dev/null");
        }
    }
}
