package dev.berth.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.berth.api.BerthException;
import java.nio.file.Path;
import java.util.Map;

/** Loading a config map from a temporary bundle and checking the exact error. */
abstract class SpecAssertions {
    abstract Path dir();

    Spec load(Map<String, Object> config) {
        return SpecLoader.load(TestConfigs.bundle(dir(), config));
    }

    void assertError(Map<String, Object> config, String message) {
        BerthException e = assertThrows(BerthException.class, () -> load(config));
        assertEquals(message, e.getMessage());
        assertEquals(BerthException.Kind.INVALID, e.kind());
    }
}
