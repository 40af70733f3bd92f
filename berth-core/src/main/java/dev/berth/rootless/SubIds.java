package dev.berth.rootless;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The subordinate id ranges /etc/subuid or /etc/subgid grant one user: lines
 * "name-or-uid:first:count", matched by the user's name or its number, as newuidmap does.
 */
public final class SubIds {
    private SubIds() {}

    /** Ids first .. first+count-1. */
    public record Range(long first, long count) {
        long end() {
            return first + count;
        }

        @Override
        public String toString() {
            return count == 1 ? Long.toString(first) : first + "-" + (end() - 1);
        }
    }

    /** The ranges {@code file} grants to {@code user} (a name, may be null) or {@code uid}. */
    public static List<Range> granted(Path file, String user, long uid) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new IllegalStateException("read " + file + ": " + e.getMessage(), e);
        }
        return parse(lines, user, uid);
    }

    static List<Range> parse(List<String> lines, String user, long uid) {
        List<Range> out = new ArrayList<>();
        String number = Long.toString(uid);
        for (String line : lines) {
            String[] f = line.trim().split(":");
            if (f.length != 3 || line.startsWith("#")) continue;
            if (!f[0].equals(number) && !f[0].equals(user)) continue;
            try {
                long first = Long.parseLong(f[1]), count = Long.parseLong(f[2]);
                if (first >= 0 && count > 0) out.add(new Range(first, count));
            } catch (NumberFormatException e) {
                // newuidmap skips a malformed line too
            }
        }
        return out;
    }

    /**
     * The part of {@code wanted} that no range of {@code allowed} covers, or null when all of it
     * is covered. Adjacent or overlapping grants count as one.
     */
    public static Range uncovered(Range wanted, List<Range> allowed) {
        long at = wanted.first();
        boolean moved = true;
        while (at < wanted.end() && moved) {
            moved = false;
            for (Range r : allowed) {
                if (r.first() <= at && at < r.end()) {
                    at = r.end();
                    moved = true;
                }
            }
        }
        if (at >= wanted.end()) return null;
        long stop = wanted.end();
        for (Range r : allowed) {
            if (r.first() > at && r.first() < stop) stop = r.first();
        }
        return new Range(at, stop - at);
    }

    /** The name of {@code uid} in /etc/passwd, or null. */
    public static String userName(long uid) {
        try {
            String number = Long.toString(uid);
            for (String line : Files.readAllLines(Path.of("/etc/passwd"))) {
                String[] f = line.split(":");
                if (f.length > 2 && f[2].equals(number)) return f[0];
            }
        } catch (IOException e) {
            // no name: matched by number only
        }
        return null;
    }
}
