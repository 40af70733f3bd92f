package dev.berth.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.it.support.Bundle;
import dev.berth.it.support.ContainerTestBase;
import dev.berth.it.support.Exec;
import dev.berth.it.support.Host;
import dev.berth.it.support.Json;
import dev.berth.it.support.Leftovers;
import dev.berth.it.support.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** create / start / state / list / delete / run -d, pid files, --no-pivot, and errors about ids. */
class LifecycleIT extends ContainerTestBase {

    /** A container whose process marks that it started, then waits. */
    private Bundle waiting(String name) {
        return sb.bundle(name).sh("echo started > /tmp/started; exec sleep 1000");
    }

    private static long pid(Map<String, Object> state) {
        Object p = state.get("pid");
        assertInstanceOf(Long.class, p, "state.pid must be a JSON integer: " + state);
        return (Long) p;
    }

    @Test
    void createStartStateAndDelete() throws Exception {
        Bundle b = waiting("life");
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put("org.example.key", "value one");
        annotations.put("org.example.other", "");
        b.config().put("annotations", annotations);

        cli.create(b);
        Map<String, Object> s = cli.state(b.id());
        assertEquals("created", s.get("status"), "status after create: " + s);
        long pid = pid(s);
        assertTrue(pid > 0, "pid > 0 after create: " + s);
        assertTrue(Host.alive(pid), "the container's init process " + pid + " exists on the host after create");
        assertNotEquals(Host.nsLink(ProcessHandle.current().pid(), "pid"), Host.nsLink(pid, "pid"),
                "the init is in a new PID namespace");
        assertFalse(Files.exists(b.file("tmp/started")), "the user process must not run before start");

        assertTrue(s.get("ociVersion") instanceof String v && !v.isEmpty(), "state.ociVersion: " + s);
        assertEquals(b.id(), s.get("id"), "state.id");
        assertEquals(b.dir().toString(), s.get("bundle"), "state.bundle is the absolute bundle path");
        assertEquals(b.rootfs().toString(), s.get("rootfs"), "state.rootfs (runc prints it; containerd reads it)");
        assertEquals(annotations, s.get("annotations"), "state.annotations are config.json's");
        OffsetDateTime created = OffsetDateTime.parse(String.valueOf(s.get("created")));
        assertTrue(Math.abs(Duration.between(created.toInstant(), java.time.Instant.now()).toSeconds()) < 120,
                "state.created is an RFC 3339 time of about now: " + s.get("created"));

        cli.call("start", b.id()).assertOk();
        assertTrue(Host.waitFor(Duration.ofSeconds(10), () -> Files.exists(b.file("tmp/started"))),
                "the user process runs after start");
        Map<String, Object> running = cli.state(b.id());
        assertEquals("running", running.get("status"), "status after start: " + running);
        assertEquals(pid, pid(running), "the pid does not change at start");
        assertEquals(s.get("created"), running.get("created"), "created does not change at start");

        cli.call("kill", b.id(), "KILL").assertOk();
        cli.awaitStatus(b.id(), "stopped");
        cli.call("delete", b.id()).assertOk();
        assertFalse(Host.alive(pid), "no process after delete");
        Result gone = cli.call("state", b.id());
        assertNotEquals(0, gone.exit(), "state of a deleted container fails\n" + gone.describe());
        assertEquals(List.of(), cli.listIds(), "list is empty after delete");
        assertFalse(Files.exists(cli.root().resolve(b.id())), "no state directory left for " + b.id());
    }

    @Test
    void startOfARunningOrStoppedContainerFails() {
        Bundle b = sb.bundle("twice").sh("exit 0");
        cli.create(b);
        cli.call("start", b.id()).assertOk();
        cli.awaitStatus(b.id(), "stopped");
        Result again = cli.call("start", b.id());
        assertNotEquals(0, again.exit(), "start of a stopped container fails\n" + again.describe());
    }

    @Test
    void unknownContainerIsAnErrorNamingIt() {
        String id = sb.id("nosuch");
        for (List<String> cmd : List.of(List.of("state", id), List.of("start", id), List.of("kill", id, "KILL"),
                List.of("delete", id))) {
            Result r = cli.call(cmd.toArray(String[]::new));
            assertNotEquals(0, r.exit(), "must fail: " + r.describe());
            String text = r.stderr() + r.log();
            assertTrue(text.contains(id) || text.contains("does not exist"),
                    "the error names the container or says it does not exist\n" + r.describe());
        }
    }

    @Test
    void duplicateIdFailsAndLeavesTheFirstContainerAlone() {
        Bundle first = waiting("dup");
        cli.create(first);
        Map<String, Object> before = cli.state(first.id());

        Bundle second = sb.bundle("dup-second");
        second.sh("exit 0");
        Result r = cli.exec("create", "--bundle", second.write().dir().toString(), first.id()).run();
        assertNotEquals(0, r.exit(), "create with an id in use must fail\n" + r.describe());
        assertTrue((r.stderr() + r.log()).contains("exist"), "the error says the container exists\n" + r.describe());

        Map<String, Object> after = cli.state(first.id());
        assertEquals(before.get("pid"), after.get("pid"), "the first container keeps its process");
        assertEquals("created", after.get("status"), "the first container is still created");
        assertEquals(first.dir().toString(), after.get("bundle"), "the first container keeps its bundle");
        assertTrue(Host.alive(pid(after)), "the first container's process is alive");
        cli.call("start", first.id()).assertOk();
        assertTrue(Host.waitFor(Duration.ofSeconds(10), () -> Files.exists(first.file("tmp/started"))),
                "the first container still starts");
    }

    @Test
    void listTableQuietAndJson() {
        Bundle a = waiting("la");
        Bundle b = waiting("lb");
        cli.create(a);
        cli.create(b);
        cli.call("start", b.id()).assertOk();
        long pa = pid(cli.state(a.id()));
        long pb = pid(cli.state(b.id()));

        Result table = cli.call("list").assertOk();
        String[] lines = table.stdout().split("\n");
        assertEquals(List.of("ID", "PID", "STATUS", "BUNDLE", "CREATED", "OWNER"), List.of(lines[0].trim().split("\\s+")),
                "table header\n" + table.describe());
        Map<String, List<String>> rows = new LinkedHashMap<>();
        for (int k = 1; k < lines.length; k++) {
            if (lines[k].isBlank()) continue;
            List<String> cols = List.of(lines[k].trim().split("\\s+"));
            rows.put(cols.get(0), cols);
        }
        assertEquals(Set.of(a.id(), b.id()), rows.keySet(), "one row per container\n" + table.describe());
        assertEquals(List.of(a.id(), String.valueOf(pa), "created", a.dir().toString()), rows.get(a.id()).subList(0, 4),
                "row of the created container\n" + table.describe());
        assertEquals(List.of(b.id(), String.valueOf(pb), "running", b.dir().toString()), rows.get(b.id()).subList(0, 4),
                "row of the running container\n" + table.describe());
        assertEquals("root", rows.get(a.id()).get(5), "OWNER is the user name of the state directory's owner");
        OffsetDateTime.parse(rows.get(a.id()).get(4));

        assertEquals(Set.of(a.id(), b.id()), Set.copyOf(cli.listIds()), "list -q prints the ids");

        Result json = cli.call("list", "--format", "json").assertOk();
        Object parsed = Json.parse(json.stdout());
        assertInstanceOf(List.class, parsed, "list --format json prints an array\n" + json.describe());
        Map<String, Map<String, Object>> byId = new LinkedHashMap<>();
        for (Object o : (List<?>) parsed) {
            @SuppressWarnings("unchecked")
            Map<String, Object> m = (Map<String, Object>) o;
            byId.put(String.valueOf(m.get("id")), m);
        }
        assertEquals(Set.of(a.id(), b.id()), byId.keySet(), json.describe());
        assertEquals(pa, byId.get(a.id()).get("pid"));
        assertEquals("created", byId.get(a.id()).get("status"));
        assertEquals("running", byId.get(b.id()).get("status"));
        assertEquals(b.dir().toString(), byId.get(b.id()).get("bundle"));
        for (Map<String, Object> m : byId.values()) {
            for (String k : List.of("ociVersion", "id", "pid", "status", "bundle", "rootfs", "created", "owner")) {
                assertTrue(m.containsKey(k), "list --format json entries carry " + k + ": " + m);
            }
        }
    }

    @Test
    void listOfAnEmptyRoot() {
        Result table = cli.call("list").assertOk();
        assertEquals(List.of("ID", "PID", "STATUS", "BUNDLE", "CREATED", "OWNER"),
                List.of(table.stdout().trim().split("\\s+")), "only the header\n" + table.describe());
        assertEquals("", cli.call("list", "-q").assertOk().stdout(), "list -q prints nothing");
        Result json = cli.call("list", "--format", "json").assertOk();
        Object parsed = Json.parse(json.stdout());
        assertTrue(parsed == null || (parsed instanceof List<?> l && l.isEmpty()),
                "an empty list in JSON is null (as runc prints it) or []\n" + json.describe());
    }

    @Test
    void deleteOfACreatedContainerKillsItsInit() {
        Bundle b = waiting("delcreated");
        cli.create(b);
        long pid = pid(cli.state(b.id()));
        cli.call("delete", b.id()).assertOk();
        assertTrue(Host.waitFor(Duration.ofSeconds(5), () -> !Host.alive(pid)), "the init " + pid + " is gone");
        assertEquals(List.of(), cli.listIds());
        assertEquals(List.of(), Host.cgroupDirs(b.cgroupsPath()), "the container's cgroups are removed");
    }

    @Test
    void deleteOfARunningContainerNeedsForce() {
        Bundle b = waiting("delrunning");
        cli.create(b);
        cli.call("start", b.id()).assertOk();
        long pid = pid(cli.state(b.id()));

        Result plain = cli.call("delete", b.id());
        assertNotEquals(0, plain.exit(), "delete of a running container fails without --force\n" + plain.describe());
        assertEquals("running", cli.status(b.id()), "and leaves it running");
        assertTrue(Host.alive(pid));

        cli.call("delete", "--force", b.id()).assertOk();
        assertTrue(Host.waitFor(Duration.ofSeconds(5), () -> !Host.alive(pid)), "delete --force kills the init");
        assertEquals(List.of(), cli.listIds());
        assertEquals(List.of(), Host.cgroupDirs(b.cgroupsPath()), "the container's cgroups are removed");
        assertEquals(List.of(), Host.processesInCgroup(b.cgroupsPath()));
    }

    @Test
    void deleteOfAStoppedContainer() {
        Bundle b = sb.bundle("delstopped").sh("exit 0");
        cli.create(b);
        cli.call("start", b.id()).assertOk();
        cli.awaitStatus(b.id(), "stopped");
        cli.call("delete", b.id()).assertOk();
        assertEquals(List.of(), cli.listIds());
        assertEquals(List.of(), Host.cgroupDirs(b.cgroupsPath()), "the container's cgroups are removed");
    }

    @Test
    void runRemovesItsContainerWhenItExits() {
        Bundle b = sb.bundle("runexit").sh("exit 5");
        assertEquals(5, cli.run(b).exit());
        Leftovers.assertNone(cli, b);
    }

    @Test
    void runDetachedReturnsWhileTheContainerRuns() {
        Bundle b = sb.bundle("detached").sh("echo detached-out; echo detached-err >&2; echo started > /tmp/started; "
                + "exec sleep 1000");
        long t0 = System.nanoTime();
        Exec.Running running = cli.exec(cli.withBundle("run", b, "-d")).start();
        Result r = running.await();
        r.assertOk();
        assertTrue(Duration.ofNanos(System.nanoTime() - t0).toSeconds() < 30, "run -d returns at once");
        Map<String, Object> s = cli.state(b.id());
        assertEquals("running", s.get("status"), "run -d leaves the container running: " + s);
        assertTrue(Host.alive(pid(s)));
        assertTrue(Host.waitFor(Duration.ofSeconds(10), () -> Files.exists(b.file("tmp/started"))));
        assertTrue(Host.waitFor(Duration.ofSeconds(5), () -> running.stdoutSoFar().contains("detached-out")),
                "a detached container without terminal writes to the stdout run -d was given: '"
                        + running.stdoutSoFar() + "'");
    }

    @Test
    void pidFileOfAForegroundRun() throws Exception {
        Bundle b = waiting("pffg");
        Path pidFile = sb.dir().resolve("fg.pid");
        Exec.Running run = cli.exec(cli.withBundle("run", b, "--pid-file", pidFile.toString())).start();
        sb.killAtClose(run.pid());
        assertTrue(Host.waitFor(Duration.ofSeconds(10), () -> Files.exists(b.file("tmp/started"))), "container started");
        assertTrue(Host.waitFor(Duration.ofSeconds(5), () -> Files.exists(pidFile)), "run --pid-file writes the file");
        assertEquals(String.valueOf(pid(cli.state(b.id()))), Files.readString(pidFile).trim(),
                "run --pid-file holds the init's pid");
        cli.call("kill", b.id(), "KILL").assertOk();
        assertEquals(137, run.await().exit());
    }

    @Test
    void pidFileOnCreateAndOnRunDetached() throws Exception {
        Bundle a = waiting("pfcreate");
        Path pidFile = sb.dir().resolve("create.pid");
        cli.create(a, "--pid-file", pidFile.toString());
        assertEquals(String.valueOf(pid(cli.state(a.id()))), Files.readString(pidFile).trim(),
                "create --pid-file holds the init's pid");

        Bundle b = waiting("pfrun");
        Path cwd = sb.mkdir("cwd");
        Result r = cli.exec(cli.withBundle("run", b, "-d", "--pid-file", "relative.pid")).dir(cwd).run();
        r.assertOk();
        Path relative = cwd.resolve("relative.pid");
        assertTrue(Files.exists(relative), "a relative --pid-file is relative to the working directory\n" + r.describe());
        assertEquals(String.valueOf(pid(cli.state(b.id()))), Files.readString(relative).trim(),
                "run -d --pid-file holds the init's pid");
    }

    @Test
    void noPivotRunsInTheRootfs() {
        Bundle b = sb.bundle("nopivot").sh("echo marker=$(cat /marker); echo ls=$(ls / | tr '\\n' ' '); "
                + "echo root=$(awk '$5 == \"/\"' /proc/self/mountinfo | wc -l)");
        b.writeFile("marker", "in-rootfs\n");
        Result r = cli.run(b, "--no-pivot").assertOk();
        dev.berth.it.support.Facts f = dev.berth.it.support.Facts.of(r);
        assertEquals("in-rootfs", f.get("marker"), f.why("/ is the bundle's rootfs"));
        assertFalse(f.get("ls").contains("config.json"), f.why("the bundle directory is not visible"));
        assertEquals("1", f.get("root"), f.why("exactly one mount at /"));
    }

    @Test
    void runAndCreateFromAnotherWorkingDirectoryUseTheBundlePath() {
        Bundle b = sb.bundle("cwdbundle").sh("echo ok");
        Path elsewhere = sb.mkdir("elsewhere");
        Result r = cli.exec(cli.withBundle("run", b)).dir(elsewhere).run().assertOk();
        assertEquals("ok\n", r.stdout());
    }

    @Test
    void runWithoutBundleFlagUsesTheWorkingDirectory() {
        Bundle b = sb.bundle("cwdrun").sh("echo from-cwd");
        b.write();
        List<String> argv = new ArrayList<>(cli.argv("run", b.id()));
        sb.track(b.id());
        Result r = Exec.of(argv).dir(b.dir()).scratch(sb.dir()).log(cli.log()).run().assertOk();
        assertEquals("from-cwd\n", r.stdout());
    }
}
