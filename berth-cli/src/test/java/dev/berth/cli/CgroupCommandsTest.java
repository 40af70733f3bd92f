package dev.berth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.api.BerthException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The parts of ps, update and events that need no container: parsing, filtering, output. */
class CgroupCommandsTest {
    @TempDir
    Path root;

    @Test
    void ramSizesAsGoUnitsReadsThem() {
        assertEquals(512, RamSize.parse("512"));
        assertEquals(64L << 20, RamSize.parse("64m"));
        assertEquals(64L << 20, RamSize.parse("64MB"));
        assertEquals(2L << 30, RamSize.parse("2 GiB"));
        assertEquals(1536L << 20, RamSize.parse("1.5g"));
        assertEquals(100L << 10, RamSize.parse("100kb"));
        assertEquals(-1, RamSize.parse("lots"));
        assertEquals(-1, RamSize.parse("12x"));
        assertEquals(-1, RamSize.parse(""));
    }

    @Test
    void goDurations() {
        assertEquals(5000, GoDuration.millis("5s", "interval"));
        assertEquals(90_000, GoDuration.millis("1m30s", "interval"));
        assertEquals(250, GoDuration.millis("250ms", "interval"));
        assertEquals(1500, GoDuration.millis("1.5s", "interval"));
        BerthException e = assertThrows(BerthException.class, () -> GoDuration.millis("5", "interval"));
        assertEquals("invalid value \"5\" for flag -interval: parse error", e.getMessage());
    }

    @Test
    void psKeepsTheHeaderAndTheContainersLines() {
        String ps = "UID          PID    PPID  C STIME TTY          TIME CMD\n"
                + "root           1       0  0 04:00 ?        00:00:01 /sbin/init\n"
                + "root        4242       1  0 04:01 ?        00:00:00 sleep 1000\n"
                + "root        4243    4242  0 04:01 ?        00:00:00 sh\n";
        assertEquals("UID          PID    PPID  C STIME TTY          TIME CMD\n"
                + "root        4242       1  0 04:01 ?        00:00:00 sleep 1000\n", PsCommand.filter(ps, List.of(4242)));
        BerthException e = assertThrows(BerthException.class, () -> PsCommand.filter("USER COMMAND\nroot x\n", List.of(1)));
        assertEquals("couldn't find PID field in ps output", e.getMessage());
    }

    @Test
    @SuppressWarnings("unchecked")
    void updateFlagsBecomeResourcesFieldsOverTheFile() throws Exception {
        ParsedArgs a = ArgParser.parse(new UpdateCommand().flags(), List.of("--memory", "1g", "--memory-swap", "-1",
                "--cpu-quota", "-1", "--cpuset-cpus", "0-1", "--pids-limit", "30", "--blkio-weight", "500", "c1"), true);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("memory", new LinkedHashMap<>(Map.of("limit", 5L, "reservation", 7L)));
        UpdateCommand.overlay(a, json);
        Map<String, Object> memory = (Map<String, Object>) json.get("memory");
        assertEquals(1L << 30, memory.get("limit"), "the flag wins over the file");
        assertEquals(7L, memory.get("reservation"), "what the flags do not name stays");
        assertEquals(-1L, memory.get("swap"));
        assertEquals(Map.of("quota", -1L, "cpus", "0-1"), json.get("cpu"));
        assertEquals(Map.of("limit", 30L), json.get("pids"));
        assertEquals(Map.of("weight", 500L), json.get("blockIO"));

        ParsedArgs bad = ArgParser.parse(new UpdateCommand().flags(), List.of("--cpu-period", "x", "c1"), true);
        BerthException e = assertThrows(BerthException.class, () -> UpdateCommand.overlay(bad, new LinkedHashMap<>()));
        assertEquals("invalid value for cpu-period: strconv.ParseUint: parsing \"x\": invalid syntax", e.getMessage());
    }

    @Test
    void eventLinesAsRuncWritesThem() {
        assertEquals("{\"type\":\"oom\",\"id\":\"c1\"}\n", EventsCommand.event("oom", "c1", null));
        assertEquals("{\"type\":\"stats\",\"id\":\"c1\",\"data\":{\"pids\":{\"current\":1}}}\n",
                EventsCommand.event("stats", "c1", Map.of("pids", Map.of("current", 1L))));
    }

    @Test
    void psFlagsComeBeforeTheIdAndTheRestGoesToPs() throws Exception {
        ParsedArgs a = ArgParser.parse(Flag.withHelp(new PsCommand().flags()), List.of("-f", "json", "c1", "-o", "pid"),
                new PsCommand().reorderArgs());
        assertEquals("json", a.string(PsCommand.FORMAT, "table"));
        assertEquals(List.of("c1", "-o", "pid"), a.args());
    }

    @Test
    void theCommandsNeedAnExistingContainer() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Main main = new Main(new Output(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)));
        for (String cmd : new String[] {"pause", "resume", "ps", "update", "events"}) {
            err.reset();
            assertEquals(1, main.run(new String[] {"--root", root.toString(), cmd, "nosuch"}), cmd);
            assertTrue(err.toString(StandardCharsets.UTF_8).contains("container does not exist: nosuch"), cmd + ": " + err);
        }
    }
}
