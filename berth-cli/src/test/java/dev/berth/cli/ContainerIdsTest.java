package dev.berth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.berth.api.BerthException;
import org.junit.jupiter.api.Test;

class ContainerIdsTest {
    @Test
    void runcsCharactersAreAccepted() {
        for (String id : new String[] {"c1", "a", "A_b+c-d.e", "...", "a..b", ".hidden", "0123456789", "x".repeat(300)}) {
            assertEquals(id, ContainerIds.check(id));
        }
    }

    @Test
    void everythingElseIsRefusedWithTheId() {
        for (String id : new String[] {".", "..", "a/b", "/abs", "a b", "tab\t", "caf\u00e9", "a:b", "a*", "../x", "a\nb"}) {
            BerthException e = assertThrows(BerthException.class, () -> ContainerIds.check(id), id);
            assertEquals(BerthException.Kind.INVALID, e.kind());
            assertEquals("invalid container id format: " + id, e.getMessage());
        }
    }

    @Test
    void anEmptyIdHasItsOwnMessage() {
        assertEquals("container id cannot be empty",
                assertThrows(BerthException.class, () -> ContainerIds.check("")).getMessage());
    }
}
