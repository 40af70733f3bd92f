package dev.berth.it.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Checks that a container that failed (or was deleted) left nothing on the host. */
public final class Leftovers {
    private Leftovers() {
    }

    /**
     * Fails unless the container of {@code b} is gone without a trace: {@code list} does not show
     * it, the state root has no entry for it, no host mount mentions the bundle, no live process
     * is in its cgroup or carries its BERTH_IT_ID, and no cgroup directory of it remains.
     * Processes and cgroups get a few seconds to go (they are reaped asynchronously).
     */
    public static void assertNone(Cli cli, Bundle b) {
        assertNone(cli, b, true);
    }

    /** As {@link #assertNone(Cli, Bundle)}, with the cgroup directory check optional. */
    public static void assertNone(Cli cli, Bundle b, boolean checkCgroupDirs) {
        List<String> problems = new ArrayList<>();
        List<String> ids = cli.listIds();
        if (ids.contains(b.id())) problems.add("list still shows " + b.id() + ": " + ids);
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(cli.root())) {
            for (Path e : entries) {
                if (e.getFileName().toString().contains(b.id())) problems.add("state root still has " + e);
            }
        } catch (IOException noRoot) {
            // a runtime may create its root lazily: nothing left then
        }
        List<String> mounts = Host.mountsMentioning(b.dir());
        if (!mounts.isEmpty()) problems.add("host mounts left under the bundle: " + mounts);
        if (!Host.waitFor(Duration.ofSeconds(5), () -> Host.processesInCgroup(b.cgroupsPath()).isEmpty())) {
            problems.add("processes left in the cgroup " + b.cgroupsPath() + ": " + Host.processesInCgroup(b.cgroupsPath()));
        }
        if (!Host.waitFor(Duration.ofSeconds(5), () -> processesWithEnv("BERTH_IT_ID=" + b.id()).isEmpty())) {
            problems.add("processes of the container left: " + processesWithEnv("BERTH_IT_ID=" + b.id()));
        }
        if (checkCgroupDirs && !Host.waitFor(Duration.ofSeconds(5), () -> Host.cgroupDirs(b.cgroupsPath()).isEmpty())) {
            problems.add("cgroup directories left: " + Host.cgroupDirs(b.cgroupsPath()));
        }
        if (!problems.isEmpty()) {
            throw new AssertionError("container " + b.id() + " left something behind:\n  " + String.join("\n  ", problems));
        }
    }

    /**
     * Live processes whose uid_map has the line {@code containerId hostId size}: with ids no
     * container of the test uses, these are processes a runtime left in a user namespace it made
     * for its own purposes (an idmapped mount's mapping).
     */
    public static List<Long> processesWithUidMapLine(long containerId, long hostId, long size) {
        List<Long> out = new ArrayList<>();
        String want = containerId + " " + hostId + " " + size;
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path p : procs) {
                List<String> lines;
                try {
                    lines = Files.readAllLines(p.resolve("uid_map"));
                } catch (IOException gone) {
                    continue;
                }
                for (String line : lines) {
                    if (String.join(" ", line.trim().split("\\s+")).equals(want)) {
                        long pid = Long.parseLong(p.getFileName().toString());
                        if (Host.alive(pid)) out.add(pid);
                    }
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out;
    }

    /** Live processes whose environment contains exactly {@code entry}. */
    public static List<Long> processesWithEnv(String entry) {
        List<Long> out = new ArrayList<>();
        byte[] want = entry.getBytes(StandardCharsets.UTF_8);
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path p : procs) {
                byte[] env;
                try {
                    env = Files.readAllBytes(p.resolve("environ"));
                } catch (IOException gone) {
                    continue;
                }
                if (containsEntry(env, want)) {
                    long pid = Long.parseLong(p.getFileName().toString());
                    if (Host.alive(pid)) out.add(pid);
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out;
    }

    private static boolean containsEntry(byte[] env, byte[] want) {
        int start = 0;
        for (int i = 0; i <= env.length; i++) {
            if (i == env.length || env[i] == 0) {
                if (i - start == want.length && java.util.Arrays.equals(env, start, i, want, 0, want.length)) return true;
                start = i + 1;
            }
        }
        return false;
    }
}
