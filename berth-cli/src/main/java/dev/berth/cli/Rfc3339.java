package dev.berth.cli;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/** The two time layouts of Go that runc's output uses. */
final class Rfc3339 {
    private Rfc3339() {}

    /**
     * Go's time.RFC3339Nano of a UTC time, as encoding/json writes runc's "created": the fraction
     * loses its trailing zeros and disappears when it is zero ("2024-05-01T10:00:00.5Z").
     * A missing time is Go's zero time, "0001-01-01T00:00:00Z".
     */
    static String nano(Instant t) {
        if (t == null) return "0001-01-01T00:00:00Z";
        StringBuilder sb = new StringBuilder(30);
        dateTime(sb, LocalDateTime.ofEpochSecond(t.getEpochSecond(), 0, ZoneOffset.UTC));
        int nanos = t.getNano();
        if (nanos != 0) {
            String digits = Integer.toString(1_000_000_000 + nanos).substring(1);
            int end = digits.length();
            while (digits.charAt(end - 1) == '0') end--;
            sb.append('.').append(digits, 0, end);
        }
        return sb.append('Z').toString();
    }

    /**
     * Go's time.RFC3339 (whole seconds) in the given offset, as logrus stamps its lines:
     * "Z" for UTC, "+01:00" otherwise.
     */
    static String seconds(Instant t, ZoneOffset offset) {
        StringBuilder sb = new StringBuilder(25);
        dateTime(sb, LocalDateTime.ofEpochSecond(t.getEpochSecond(), 0, offset));
        int total = offset.getTotalSeconds();
        if (total == 0) return sb.append('Z').toString();
        sb.append(total < 0 ? '-' : '+');
        total = Math.abs(total) / 60;
        two(sb, total / 60);
        sb.append(':');
        two(sb, total % 60);
        return sb.toString();
    }

    private static void dateTime(StringBuilder sb, LocalDateTime d) {
        int year = d.getYear();
        String y = Integer.toString(year);
        for (int i = y.length(); i < 4; i++) sb.append('0');
        sb.append(y).append('-');
        two(sb, d.getMonthValue());
        sb.append('-');
        two(sb, d.getDayOfMonth());
        sb.append('T');
        two(sb, d.getHour());
        sb.append(':');
        two(sb, d.getMinute());
        sb.append(':');
        two(sb, d.getSecond());
    }

    private static void two(StringBuilder sb, int n) {
        if (n < 10) sb.append('0');
        sb.append(n);
    }
}
