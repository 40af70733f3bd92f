package dev.berth.cli;

import dev.berth.api.BerthException;

/** Go's time.ParseDuration, for flags such as events --interval: "5s", "1m30s", "250ms", "1.5h". */
final class GoDuration {
    private GoDuration() {}

    static long millis(String s, String flag) {
        int i = 0;
        int n = s.length();
        double total = 0;
        boolean any = false;
        while (i < n) {
            int start = i;
            while (i < n && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) i++;
            if (start == i) throw invalid(s, flag);
            double value;
            try {
                value = Double.parseDouble(s.substring(start, i));
            } catch (NumberFormatException e) {
                throw invalid(s, flag);
            }
            int u = i;
            while (i < n && !Character.isDigit(s.charAt(i)) && s.charAt(i) != '.') i++;
            double ms = switch (s.substring(u, i)) {
                case "ns" -> 1e-6;
                case "us", "\u00b5s" -> 1e-3;
                case "ms" -> 1;
                case "s" -> 1000;
                case "m" -> 60_000;
                case "h" -> 3_600_000;
                default -> throw invalid(s, flag);
            };
            total += value * ms;
            any = true;
        }
        if (!any && !s.equals("0")) throw invalid(s, flag);
        return (long) total;
    }

    private static BerthException invalid(String s, String flag) {
        return BerthException.invalid("invalid value " + GoQuote.quote(s) + " for flag -" + flag
                + ": parse error");
    }
}
