package dev.berth.rootless;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

class SubIdsTest {
    private static final List<String> FILE = List.of(
            "# comment", "alice:100000:65536", "1001:200000:1000", "bob:300000:65536", "alice:x:1", "alice:165536:10");

    @Test
    void rangesMatchByNameOrNumber() {
        assertEquals(List.of(new SubIds.Range(100000, 65536), new SubIds.Range(200000, 1000),
                new SubIds.Range(165536, 10)), SubIds.parse(FILE, "alice", 1001));
        assertEquals(List.of(new SubIds.Range(300000, 65536)), SubIds.parse(FILE, "bob", 1002));
        assertEquals(List.of(), SubIds.parse(FILE, null, 4242));
    }

    @Test
    void adjacentGrantsCoverOneWantedRange() {
        List<SubIds.Range> granted = SubIds.parse(FILE, "alice", 1001);
        assertNull(SubIds.uncovered(new SubIds.Range(100000, 65546), granted));
        assertNull(SubIds.uncovered(new SubIds.Range(200500, 500), granted));
    }

    @Test
    void theFirstUncoveredPartIsNamed() {
        List<SubIds.Range> granted = SubIds.parse(FILE, "alice", 1001);
        assertEquals("165546-199999", SubIds.uncovered(new SubIds.Range(160000, 50000), granted).toString());
        assertEquals("99999", SubIds.uncovered(new SubIds.Range(99999, 2), granted).toString());
        assertEquals("500000-500009", SubIds.uncovered(new SubIds.Range(500000, 10), granted).toString());
    }
}
