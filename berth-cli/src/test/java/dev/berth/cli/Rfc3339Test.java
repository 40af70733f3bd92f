package dev.berth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class Rfc3339Test {
    @Test
    void nanosLoseTrailingZeros() {
        assertEquals("2026-11-24T06:18:40.140960339Z", Rfc3339.nano(Instant.parse("2026-11-24T06:18:40.140960339Z")));
        assertEquals("2024-05-01T10:00:00.5Z", Rfc3339.nano(Instant.parse("2024-05-01T10:00:00.500Z")));
        assertEquals("2024-05-01T10:00:00.00001Z", Rfc3339.nano(Instant.parse("2024-05-01T10:00:00.000010Z")));
        assertEquals("2024-05-01T10:00:00Z", Rfc3339.nano(Instant.parse("2024-05-01T10:00:00Z")));
        assertEquals("0001-01-01T00:00:00Z", Rfc3339.nano(null));
        assertEquals("0099-01-01T00:00:00Z", Rfc3339.nano(Instant.parse("0099-01-01T00:00:00Z")));
    }

    @Test
    void secondsWithTheOffset() {
        Instant t = Instant.parse("2026-11-24T06:00:00.9Z");
        assertEquals("2026-11-24T06:00:00Z", Rfc3339.seconds(t, ZoneOffset.UTC));
        assertEquals("2026-11-24T07:00:00+01:00", Rfc3339.seconds(t, ZoneOffset.ofHours(1)));
        assertEquals("2026-11-24T00:30:00-05:30", Rfc3339.seconds(t, ZoneOffset.ofHoursMinutes(-5, -30)));
    }
}
