package dev.berth.cli;

/**
 * Sizes as docker's go-units RAMInBytes reads them (runc update --memory): a number, optionally
 * with a fraction, then an optional space and k, m, g, t or p (any case, powers of 1024),
 * optionally followed by "i" and/or "b": "512", "64m", "1.5G", "2 GiB", "100kb".
 */
final class RamSize {
    private RamSize() {}

    /** The size in bytes, or -1 when {@code s} is not one. */
    static long parse(String s) {
        int i = 0;
        int n = s.length();
        while (i < n && Character.isDigit(s.charAt(i))) i++;
        if (i == 0) return -1;
        int end = i;
        if (i < n && s.charAt(i) == '.') {
            int j = i + 1;
            while (j < n && Character.isDigit(s.charAt(j))) j++;
            if (j == i + 1) return -1;
            end = j;
            i = j;
        }
        double value = Double.parseDouble(s.substring(0, end));
        if (i < n && s.charAt(i) == ' ') i++;
        long mult = 1;
        if (i < n) {
            switch (Character.toLowerCase(s.charAt(i))) {
                case 'k' -> mult = 1L << 10;
                case 'm' -> mult = 1L << 20;
                case 'g' -> mult = 1L << 30;
                case 't' -> mult = 1L << 40;
                case 'p' -> mult = 1L << 50;
                default -> mult = 0;
            }
            if (mult != 0) i++;
            else mult = 1;
        }
        if (i < n && (s.charAt(i) == 'i' || s.charAt(i) == 'I')) i++;
        if (i < n && (s.charAt(i) == 'b' || s.charAt(i) == 'B')) i++;
        if (i != n) return -1;
        return (long) (value * mult);
    }
}
