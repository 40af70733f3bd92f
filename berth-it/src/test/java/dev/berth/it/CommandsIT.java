package dev.berth.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.it.support.Exec;
import dev.berth.it.support.Json;
import dev.berth.it.support.Result;
import dev.berth.it.support.RuntimeUnderTest;
import dev.berth.it.support.Sandbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/** Commands that start no container: spec, features, --version, and the JSON log format. Root not needed. */
class CommandsIT {
    private static final Pattern SEMVER = Pattern.compile("\\d+\\.\\d+\\.\\d+(-[0-9A-Za-z.-]+)?");
    private Sandbox sb;

    @BeforeEach
    void open(TestInfo info) {
        sb = new Sandbox("CommandsIT-" + info.getTestMethod().map(java.lang.reflect.Method::getName).orElse(""));
    }

    @AfterEach
    void close() {
        sb.close();
    }

    private Result runtime(Path cwd, String... args) {
        List<String> argv = new java.util.ArrayList<>();
        argv.add(RuntimeUnderTest.binary().toString());
        argv.addAll(List.of(args));
        return Exec.of(argv).dir(cwd).scratch(sb.dir()).run();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> maps(Object list) {
        return (List<Map<String, Object>>) list;
    }

    @Test
    @SuppressWarnings("unchecked")
    void specWritesConfigJsonInTheWorkingDirectory() throws Exception {
        Path dir = sb.mkdir("spec");
        runtime(dir, "spec").assertOk();
        Path cfg = dir.resolve("config.json");
        assertTrue(Files.exists(cfg), "spec writes ./config.json");
        Map<String, Object> c = Json.parseObject(Files.readString(cfg));
        assertTrue(SEMVER.matcher(String.valueOf(c.get("ociVersion"))).matches(), "ociVersion is semver: " + c.get("ociVersion"));
        Map<String, Object> root = (Map<String, Object>) c.get("root");
        assertEquals("rootfs", root.get("path"), "root.path of the default spec");
        Map<String, Object> process = (Map<String, Object>) c.get("process");
        assertEquals(List.of("sh"), process.get("args"), "process.args of the default spec");
        assertEquals("/", process.get("cwd"));
        List<String> destinations = maps(c.get("mounts")).stream().map(m -> String.valueOf(m.get("destination"))).toList();
        for (String d : List.of("/proc", "/dev", "/dev/pts", "/dev/shm", "/dev/mqueue", "/sys")) {
            assertTrue(destinations.contains(d), "the default spec mounts " + d + ": " + destinations);
        }
        Map<String, Object> linux = (Map<String, Object>) c.get("linux");
        List<Object> ns = maps(linux.get("namespaces")).stream().map(m -> m.get("type")).map(Object.class::cast).toList();
        for (String t : List.of("pid", "network", "ipc", "uts", "mount")) {
            assertTrue(ns.contains(t), "the default spec has a " + t + " namespace: " + ns);
        }
        assertFalse(ns.contains("user"), "the default (root) spec has no user namespace: " + ns);
        assertTrue(linux.get("maskedPaths") instanceof List<?> l && l.contains("/proc/kcore"), "maskedPaths has /proc/kcore");
        assertTrue(linux.get("readonlyPaths") instanceof List<?> l && l.contains("/proc/sys"), "readonlyPaths has /proc/sys");
    }

    @Test
    void specRefusesToOverwriteConfigJson() throws Exception {
        Path dir = sb.mkdir("exists");
        Files.writeString(dir.resolve("config.json"), "{\"mine\": true}\n");
        Result r = runtime(dir, "spec");
        assertNotEquals(0, r.exit(), "spec must not overwrite an existing config.json\n" + r.describe());
        assertTrue(r.stderr().contains("config.json"), "the error names config.json\n" + r.describe());
        assertEquals("{\"mine\": true}\n", Files.readString(dir.resolve("config.json")), "the existing file is untouched");
    }

    @Test
    void specBundleWritesThereNotInTheWorkingDirectory() throws Exception {
        Path cwd = sb.mkdir("cwd");
        Path bundle = sb.mkdir("target-bundle");
        runtime(cwd, "spec", "--bundle", bundle.toString()).assertOk();
        assertTrue(Files.exists(bundle.resolve("config.json")), "spec --bundle DIR writes DIR/config.json");
        assertFalse(Files.exists(cwd.resolve("config.json")), "and nothing in the working directory");
        Json.parseObject(Files.readString(bundle.resolve("config.json")));
    }

    @Test
    @SuppressWarnings("unchecked")
    void specRootlessHasAUserNamespaceMappingTheCaller() throws Exception {
        Path dir = sb.mkdir("rootless");
        runtime(dir, "spec", "--rootless").assertOk();
        Map<String, Object> c = Json.parseObject(Files.readString(dir.resolve("config.json")));
        Map<String, Object> linux = (Map<String, Object>) c.get("linux");
        List<Object> ns = maps(linux.get("namespaces")).stream().map(m -> m.get("type")).map(Object.class::cast).toList();
        assertTrue(ns.contains("user"), "spec --rootless adds a user namespace: " + ns);
        assertFalse(ns.contains("network"), "spec --rootless drops the network namespace (no way to set it up): " + ns);
        long uid = Long.parseLong(Exec.of("id", "-u").scratch(sb.dir()).run().assertOk().stdout().trim());
        long gid = Long.parseLong(Exec.of("id", "-g").scratch(sb.dir()).run().assertOk().stdout().trim());
        Map<String, Object> um = maps(linux.get("uidMappings")).get(0);
        Map<String, Object> gm = maps(linux.get("gidMappings")).get(0);
        assertEquals(0L, um.get("containerID"), "uid 0 in the container: " + um);
        assertEquals(uid, um.get("hostID"), "is the caller's uid: " + um);
        assertEquals(0L, gm.get("containerID"), "gid 0 in the container: " + gm);
        assertEquals(gid, gm.get("hostID"), "is the caller's gid: " + gm);
        assertFalse(linux.containsKey("resources") && linux.get("resources") instanceof Map<?, ?> r
                && r.containsKey("devices"), "no device cgroup rules in a rootless spec");
    }

    @Test
    @SuppressWarnings("unchecked")
    void featuresIsValidJson() {
        Result r = runtime(sb.dir(), "features").assertOk();
        Map<String, Object> f = Json.parseObject(r.stdout());
        assertTrue(SEMVER.matcher(String.valueOf(f.get("ociVersionMin"))).matches(), "ociVersionMin: " + f.get("ociVersionMin"));
        assertTrue(SEMVER.matcher(String.valueOf(f.get("ociVersionMax"))).matches(), "ociVersionMax: " + f.get("ociVersionMax"));
        assertEquals(List.of("prestart", "createRuntime", "createContainer", "startContainer", "poststart", "poststop"),
                f.get("hooks"), "features lists the six hooks in lifecycle order");
        assertInstanceOf(List.class, f.get("mountOptions"), "mountOptions is a list");
        List<Object> opts = (List<Object>) f.get("mountOptions");
        for (String o : List.of("bind", "rbind", "ro", "nosuid", "nodev", "noexec", "private", "rslave", "shared")) {
            assertTrue(opts.contains(o), "mountOptions lists " + o + ": " + opts);
        }
        Map<String, Object> linux = (Map<String, Object>) f.get("linux");
        List<Object> ns = (List<Object>) linux.get("namespaces");
        for (String t : List.of("cgroup", "ipc", "mount", "network", "pid", "uts")) {
            assertTrue(ns.contains(t), "linux.namespaces lists " + t + ": " + ns);
        }
    }

    @Test
    void versionSaysNameVersionAndSpec() {
        Result r = runtime(sb.dir(), "--version").assertOk();
        String[] lines = r.stdout().split("\n");
        assertTrue(lines[0].matches("\\S+ version \\S+"), "first line is 'NAME version X'\n" + r.describe());
        assertTrue(List.of(lines).stream().anyMatch(l -> l.startsWith("spec: ")
                && SEMVER.matcher(l.substring(6).trim()).matches()), "a 'spec: X.Y.Z' line\n" + r.describe());
    }

    /**
     * make builds an AOT cache for berth (scripts/aot-train.sh). The JVM ignores a cache that
     * does not fit its flags silently, so the test asks the JVM where it loaded berth's classes.
     */
    @Test
    void berthLoadsItsClassesFromItsAotCache() throws Exception {
        assumeTrue(RuntimeUnderTest.isBerth(), "berth's own launcher and cache");
        Path lib = RuntimeUnderTest.binary().toAbsolutePath().getParent().resolveSibling("build").resolve("lib");
        assumeTrue(Files.isDirectory(lib), "berth is installed, not run from its source tree (" + lib + ")");
        assertTrue(Files.isRegularFile(lib.resolve("berth.aot")), "make built " + lib.resolve("berth.aot"));
        Path loaded = sb.dir().resolve("class-load.log");
        Exec.of(List.of(RuntimeUnderTest.binary().toString(), "--version"))
                .env("JAVA_TOOL_OPTIONS", "-Xlog:class+load=info:file=" + loaded).dir(sb.dir()).scratch(sb.dir())
                .run().assertOk();
        List<String> lines = Files.readAllLines(loaded);
        assertTrue(lines.stream().anyMatch(l -> l.contains(" dev.berth.cli.Main source: shared objects file")),
                "dev.berth.cli.Main comes from the AOT cache:\n"
                        + lines.stream().filter(l -> l.contains("dev.berth")).limit(5).toList());
    }

    @Test
    void jsonLogLinesOfAFailingCommand() throws Exception {
        Path log = sb.dir().resolve("json.log");
        Result r = runtime(sb.dir(), "--root", sb.mkdir("state").toString(), "--log", log.toString(),
                "--log-format", "json", "state", "no-such-container");
        assertNotEquals(0, r.exit(), "state of an unknown container fails\n" + r.describe());
        assertFalse(r.stderr().isBlank(), "the error is also printed on stderr\n" + r.describe());
        List<String> lines = Files.readAllLines(log).stream().filter(l -> !l.isBlank()).toList();
        assertFalse(lines.isEmpty(), "the error is logged to --log");
        boolean sawError = false;
        for (String line : lines) {
            Map<String, Object> m = Json.parseObject(line);
            for (String k : List.of("level", "msg", "time")) assertTrue(m.containsKey(k), "log line has " + k + ": " + line);
            OffsetDateTime.parse(String.valueOf(m.get("time")));
            sawError |= "error".equals(m.get("level"));
        }
        assertTrue(sawError, "one line has level error: " + lines);
    }

    @Test
    void globalDebugAndTextLogFlagsAreAccepted() throws Exception {
        Path log = sb.dir().resolve("text.log");
        Path root = sb.mkdir("state-text");
        runtime(sb.dir(), "--debug", "--root", root.toString(), "--log", log.toString(), "--log-format", "text", "list")
                .assertOk();
        Result r = runtime(sb.dir(), "--root", root.toString(), "--log", log.toString(), "--log-format", "text",
                "state", "no-such-container");
        assertNotEquals(0, r.exit(), r.describe());
        String text = Files.readString(log);
        assertTrue(text.contains("level=error"), "text log lines are logfmt (level=error): " + text);
    }

    @Test
    void unknownCommandFails() {
        Result r = runtime(sb.dir(), "no-such-command");
        assertNotEquals(0, r.exit(), r.describe());
    }
}
