package dev.berth.spec;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SemVerTest {
    @Test
    void valid() {
        for (String v : new String[] {"1.0.0", "1.2.0", "1.0.2-dev", "1.1.0-rc.3", "10.20.30", "1.0.0+build.1",
                "1.0.0-alpha-1+x.y"}) {
            assertTrue(SemVer.isValid(v), v);
        }
    }

    @Test
    void invalid() {
        for (String v : new String[] {"", "1", "1.2", "1.2.3.4", "01.2.3", "1.02.3", "1.2.x", "1.2.3-", "1.2.3+",
                "1.2.3-a..b", "1.2.3-a_b", "v1.2.3", " 1.2.3"}) {
            assertFalse(SemVer.isValid(v), v);
        }
    }

    @Test
    void jsonPositionsReadAsLineAndColumn() {
        org.junit.jupiter.api.Assertions.assertEquals("line 4, column 7: expected ':'",
                SpecLoader.position("config.json:4:7: expected ':'"));
        org.junit.jupiter.api.Assertions.assertEquals("other", SpecLoader.position("other"));
    }
}
