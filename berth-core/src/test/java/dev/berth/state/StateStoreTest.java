package dev.berth.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.berth.api.BerthException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateStoreTest {
    @TempDir
    Path tmp;

    private ContainerRecord record(String id) {
        return new ContainerRecord(id, "1.2.0", Path.of("/b"), Path.of("/b/rootfs"),
                Instant.parse("2026-01-02T03:04:05.123456789Z"), 0, 0, 11, 22, Map.of("k", "v"),
                List.of(Path.of("/sys/fs/cgroup/pids/c1")), Map.of("poststop", List.of()));
    }

    @Test
    void roundTripsAndReplacesAtomically() {
        StateStore s = new StateStore(tmp.resolve("root"));
        s.createDir("c1");
        ContainerRecord r = record("c1");
        s.write(r);
        assertEquals(r, s.read("c1"));
        ContainerRecord r2 = r.withPid(1234, 99).withoutCreator();
        s.write(r2);
        assertEquals(r2, s.read("c1"));
        assertFalse(Files.exists(s.dir("c1").resolve("state.json.tmp")));
    }

    @Test
    void duplicateIdsAndMissingOnesAreNamed() {
        StateStore s = new StateStore(tmp);
        s.createDir("c1");
        BerthException e = assertThrows(BerthException.class, () -> s.createDir("c1"));
        assertEquals(BerthException.Kind.EXISTS, e.kind());
        e = assertThrows(BerthException.class, () -> s.read("nope"));
        assertEquals(BerthException.Kind.NOT_FOUND, e.kind());
        assertEquals("container does not exist: nope", e.getMessage());
    }

    @Test
    void listsSortedAndRemovesEverything() throws Exception {
        StateStore s = new StateStore(tmp);
        for (String id : List.of("b", "a", "c")) {
            s.createDir(id);
            s.write(record(id));
        }
        Files.writeString(s.fifo("a"), "x");
        assertEquals(List.of("a", "b", "c"), s.ids());
        try (AutoCloseable l = s.lock("a")) {
            s.remove("a");
        }
        assertEquals(List.of("b", "c"), s.ids());
        assertFalse(Files.exists(s.dir("a")));
    }
}
