package dev.berth.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.it.support.Bundle;
import dev.berth.it.support.ContainerTestBase;
import dev.berth.it.support.Exec;
import dev.berth.it.support.Host;
import dev.berth.it.support.HostCgroups;
import dev.berth.it.support.Json;
import dev.berth.it.support.Leftovers;
import dev.berth.it.support.Result;
import dev.berth.it.support.RuntimeUnderTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * ps, pause/resume, update and events on running containers, on cgroup v1 and on a pure v2 host
 * (the qemu lane, lanes/cgroup2.sh), each checked in that version's files.
 */
class CgroupCommandsIT extends ContainerTestBase {
    private static final long MIB = 1024 * 1024;

    /** Counts in /count every 50 ms, so that the host sees whether it runs. */
    private static final String COUNTER = "i=0; while :; do i=$((i+1)); echo $i > /count; sleep 0.05; done";

    private Bundle started(Bundle b) {
        cli.create(b);
        cli.call("start", b.id()).assertOk();
        cli.awaitStatus(b.id(), "running");
        return b;
    }

    private static String count(Bundle b) {
        try {
            Path f = b.file("count");
            return Files.exists(f) ? Files.readString(f).trim() : "";
        } catch (IOException e) {
            return "";
        }
    }

    private static long initPid(Map<String, Object> state) {
        return ((Number) state.get("pid")).longValue();
    }

    @Test
    void psShowsEveryProcessOfTheContainer() {
        Bundle b = started(sb.bundle("ps").sh("sleep 1001 & sleep 1002 & echo ready > /ready; wait"));
        assertTrue(Host.waitFor(Duration.ofSeconds(10), () -> Files.exists(b.file("ready"))));
        long init = initPid(cli.state(b.id()));

        Result json = cli.call("ps", "--format", "json", b.id()).assertOk();
        @SuppressWarnings("unchecked")
        List<Object> pids = (List<Object>) Json.parse(json.stdout().trim());
        assertEquals(3, pids.size(), "the shell and two sleeps: " + json.stdout());
        assertTrue(pids.contains(init), "the init " + init + " is listed: " + json.stdout());

        Result table = cli.call("ps", b.id()).assertOk();
        String[] lines = table.stdout().split("\n");
        assertTrue(lines[0].contains("PID") && lines[0].contains("CMD"), "ps -ef's header: " + table.stdout());
        assertEquals(4, lines.length, "the header and three processes: " + table.stdout());
        assertTrue(table.stdout().contains("sleep 1001") && table.stdout().contains("sleep 1002"), table.stdout());

        Result custom = cli.call("ps", b.id(), "-o", "pid,comm").assertOk();
        assertTrue(custom.stdout().startsWith("    PID COMMAND") || custom.stdout().trim().startsWith("PID COMMAND"),
                "arguments after the id go to ps: " + custom.stdout());
        assertEquals(4, custom.stdout().trim().split("\n").length, custom.stdout());
    }

    @Test
    void pauseFreezesAndResumeThaws() {
        Bundle b = started(sb.bundle("pause").sh(COUNTER));
        assertTrue(Host.waitFor(Duration.ofSeconds(10), () -> !count(b).isEmpty()), "the counter runs");
        long init = initPid(cli.state(b.id()));

        cli.call("pause", b.id()).assertOk();
        assertEquals("paused", cli.status(b.id()));
        assertTrue(cli.call("list").assertOk().stdout().contains("paused"), "list shows paused");
        String frozenAt = count(b);
        sleep(500);
        assertEquals(frozenAt, count(b), "a paused container does not run");
        String state = procState(init);
        assertTrue(state.startsWith("D") || state.startsWith("S") || state.startsWith("T"),
                "a frozen task is not runnable: " + state);
        if (HostCgroups.isV1()) {
            assertEquals("FROZEN", HostCgroups.read(b, "freezer", "freezer.state"));
        } else {
            assertEquals("1", HostCgroups.read(b, "", "cgroup.freeze"));
            assertTrue(HostCgroups.read(b, "", "cgroup.events").contains("frozen 1"), "cgroup.events says frozen");
        }

        Result again = cli.call("pause", b.id());
        assertEquals(1, again.exit(), "a paused container cannot be paused\n" + again.describe());

        cli.call("resume", b.id()).assertOk();
        assertEquals("running", cli.status(b.id()));
        assertTrue(Host.waitFor(Duration.ofSeconds(5), () -> !count(b).equals(frozenAt)), "it counts again");
        if (!HostCgroups.isV1()) assertTrue(HostCgroups.read(b, "", "cgroup.events").contains("frozen 0"), "thawed");
        Result notPaused = cli.call("resume", b.id());
        assertEquals(1, notPaused.exit(), "a running container cannot be resumed\n" + notPaused.describe());
        if (RuntimeUnderTest.isBerth()) assertTrue(notPaused.allText().contains("container not paused"), notPaused.describe());
    }

    @Test
    void aPausedContainerCanBeForceDeleted() {
        Bundle b = started(sb.bundle("pausedel").sh(COUNTER));
        cli.call("pause", b.id()).assertOk();
        cli.call("delete", "--force", b.id()).assertOk();
        Leftovers.assertNone(cli, b);
    }

    @Test
    void updateWritesFlagsAndResourceFiles() throws IOException {
        boolean v1 = HostCgroups.isV1();
        String pidsInside = v1 ? "/sys/fs/cgroup/pids/pids.max" : "/sys/fs/cgroup/pids.max";
        Bundle b = sb.bundle("update").sh(
                "while :; do cat " + pidsInside + " > /pids.tmp; mv /pids.tmp /pids; sleep 0.05; done");
        b.obj("linux", "resources").put("memory", Map.of("limit", 64 * MIB, "swap", 64 * MIB));
        b.obj("linux", "resources").put("pids", Map.of("limit", 50L));
        started(b);

        cli.call("update", "--memory", "96m", "--memory-swap", "128M", "--pids-limit", "25", "--cpu-share", "300",
                "--cpu-period", "100000", "--cpu-quota", "40000", b.id()).assertOk();
        if (v1) {
            assertEquals(Long.toString(96 * MIB), HostCgroups.read(b, "memory", "memory.limit_in_bytes"));
            assertEquals(Long.toString(128 * MIB), HostCgroups.read(b, "memory", "memory.memsw.limit_in_bytes"));
            assertEquals("300", HostCgroups.read(b, "cpu", "cpu.shares"));
            assertEquals("40000", HostCgroups.read(b, "cpu", "cpu.cfs_quota_us"));
        } else {
            // v2: swap alone (memory+swap minus memory); shares 300 as weight 1 + 298 * 9999 / 262142.
            assertEquals(Long.toString(96 * MIB), HostCgroups.read(b, "memory", "memory.max"));
            assertEquals(Long.toString(32 * MIB), HostCgroups.read(b, "memory", "memory.swap.max"));
            assertEquals("12", HostCgroups.read(b, "cpu", "cpu.weight"));
            assertEquals("40000 100000", HostCgroups.read(b, "cpu", "cpu.max"));
        }
        assertEquals("25", HostCgroups.read(b, "pids", "pids.max"));
        assertTrue(Host.waitFor(Duration.ofSeconds(5), () -> read(b.file("pids")).equals("25")),
                "the container sees the new pids.max: " + read(b.file("pids")));

        String memoryFile = v1 ? "memory.limit_in_bytes" : "memory.max";
        Path file = sb.dir().resolve("resources.json");
        Files.writeString(file, "{\"pids\": {\"limit\": 33}, \"memory\": {\"limit\": 50331648, \"swap\": 50331648}}");
        cli.call("update", "-r", file.toString(), b.id()).assertOk();
        assertEquals("33", HostCgroups.read(b, "pids", "pids.max"));
        assertEquals("50331648", HostCgroups.read(b, "memory", memoryFile));
        if (v1) {
            assertEquals("50331648", HostCgroups.read(b, "memory", "memory.memsw.limit_in_bytes"));
        } else {
            assertEquals("0", HostCgroups.read(b, "memory", "memory.swap.max"), "memory+swap = memory: no swap");
        }

        Path stdin = sb.dir().resolve("stdin.json");
        Files.writeString(stdin, "{\"pids\": {\"limit\": 44}}");
        cli.exec("update", "-r", "-", b.id()).stdin(stdin).run().assertOk();
        assertEquals("44", HostCgroups.read(b, "pids", "pids.max"), "update -r - reads stdin");

        Result bad = cli.call("update", "--memory", "lots", b.id());
        assertEquals(1, bad.exit(), bad.describe());
        assertTrue(bad.allText().contains("memory"), bad.describe());
        assertEquals("50331648", HostCgroups.read(b, "memory", memoryFile), "a refused update changes nothing");

        cli.call("update", "--memory", "-1", b.id()).assertOk();
        if (v1) {
            assertTrue(Long.parseLong(HostCgroups.read(b, "memory", "memory.limit_in_bytes")) > (1L << 62), "no memory limit");
            assertTrue(Long.parseLong(HostCgroups.read(b, "memory", "memory.memsw.limit_in_bytes")) > (1L << 62),
                    "and so no memory+swap limit either (runc does the same)");
        } else {
            assertEquals("max", HostCgroups.read(b, "memory", "memory.max"), "no memory limit");
            assertEquals("max", HostCgroups.read(b, "memory", "memory.swap.max"),
                    "and so no swap limit either (runc does the same)");
        }
    }

    private static String read(Path f) {
        try {
            return Files.exists(f) ? Files.readString(f).trim() : "";
        } catch (IOException e) {
            return "";
        }
    }

    @Test
    void eventsReportStatsAndOomKills() {
        // A hog every second, each killed by the OOM killer: events that starts late under load
        // still sees one (it reports kills after it started).
        Bundle b = sb.bundle("events").sh("while :; do sleep 1; sh -c 'x=0123456789abcdef; while :; do x=$x$x; done'; done");
        b.obj("linux", "resources").put("memory", Map.of("limit", 32 * MIB, "swap", 32 * MIB));
        started(b);

        Result stats = cli.call("events", "--stats", b.id()).assertOk();
        Map<String, Object> ev = Json.parseObject(stats.stdout().trim());
        assertEquals("stats", ev.get("type"), stats.stdout());
        assertEquals(b.id(), ev.get("id"), stats.stdout());
        Map<?, ?> memory = (Map<?, ?>) ((Map<?, ?>) ev.get("data")).get("memory");
        Map<?, ?> usage = (Map<?, ?>) memory.get("usage");
        assertEquals(32 * MIB, ((Number) usage.get("limit")).longValue(), "the memory limit in the stats: " + stats.stdout());

        Exec.Running events = cli.exec("events", "--interval", "1s", b.id()).start();
        try {
            String stats1 = "{\"type\":\"stats\",\"id\":\"" + b.id() + "\"";
            // Stats go on after the hog's death (until delete), so both come, in either order.
            boolean both = Host.waitFor(Duration.ofSeconds(30), () -> events.stdoutSoFar().contains("\"type\":\"oom\"")
                    && events.stdoutSoFar().contains(stats1));
            assertTrue(both, "an oom event when the hog is killed, and stats every second: " + events.stdoutSoFar());
        } finally {
            events.kill();
        }
    }

    private static String procState(long pid) {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (l.startsWith("State:")) return l.substring(6).trim();
            }
        } catch (IOException e) {
            return "gone";
        }
        return "?";
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
