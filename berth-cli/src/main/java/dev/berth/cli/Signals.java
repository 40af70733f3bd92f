package dev.berth.cli;

import dev.berth.api.BerthException;

/**
 * Linux signal names and numbers (x86-64, as glibc numbers them) for {@code kill}. Accepts what
 * runc accepts — a number, or a name in any case with or without "SIG" — plus the aliases
 * (SIGIOT, SIGPOLL, SIGCLD) and the real-time signals SIGRTMIN, SIGRTMIN+n, SIGRTMAX-n, SIGRTMAX.
 */
final class Signals {
    /** glibc keeps 32 and 33 for its threads, so user real-time signals start at 34, as kill -l shows. */
    static final int RTMIN = 34;
    static final int RTMAX = 64;

    private static final String[] NAMES = {
        null, "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1", "SEGV", "USR2",
        "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU", "URG", "XCPU",
        "XFSZ", "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS",
    };

    private Signals() {}

    /** The signal number; a BerthException (INVALID) naming the input when it is none. */
    static int parse(String raw) {
        if (isInteger(raw)) {
            try {
                int n = Integer.parseInt(raw);
                if (n >= 0 && n <= RTMAX) return n;
            } catch (NumberFormatException tooLong) {
                // falls through to the error
            }
            throw unknown(raw);
        }
        String name = raw.toUpperCase(java.util.Locale.ROOT);
        if (name.startsWith("SIG")) name = name.substring(3);
        int n = byName(name);
        if (n < 0) throw unknown(raw);
        return n;
    }

    private static int byName(String name) {
        for (int i = 1; i < NAMES.length; i++) {
            if (NAMES[i].equals(name)) return i;
        }
        switch (name) {
            case "IOT":
                return 6;
            case "POLL":
                return 29;
            case "CLD":
                return 17;
            case "RTMIN":
                return RTMIN;
            case "RTMAX":
                return RTMAX;
            default:
                break;
        }
        if (name.startsWith("RTMIN+")) return offset(name.substring(6), RTMIN, 1);
        if (name.startsWith("RTMAX-")) return offset(name.substring(6), RTMAX, -1);
        return -1;
    }

    /** SIGRTMIN+n and SIGRTMAX-n for 0 <= n <= 30, the span of the real-time signals. */
    private static int offset(String digits, int base, int direction) {
        if (digits.isEmpty() || digits.length() > 2) return -1;
        for (int i = 0; i < digits.length(); i++) {
            if (digits.charAt(i) < '0' || digits.charAt(i) > '9') return -1;
        }
        int n = Integer.parseInt(digits);
        return n <= RTMAX - RTMIN ? base + direction * n : -1;
    }

    /** Go's strconv.Atoi syntax: an optional sign and decimal digits. */
    private static boolean isInteger(String s) {
        int start = !s.isEmpty() && (s.charAt(0) == '+' || s.charAt(0) == '-') ? 1 : 0;
        if (start == s.length()) return false;
        for (int i = start; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') return false;
        }
        return true;
    }

    /** The canonical name of a number, "SIGKILL", "SIGRTMIN+3", for messages. */
    static String name(int signal) {
        if (signal > 0 && signal < NAMES.length) return "SIG" + NAMES[signal];
        if (signal == RTMIN) return "SIGRTMIN";
        if (signal == RTMAX) return "SIGRTMAX";
        if (signal > RTMIN && signal < RTMAX) return "SIGRTMIN+" + (signal - RTMIN);
        return Integer.toString(signal);
    }

    private static BerthException unknown(String raw) {
        return BerthException.invalid("unknown signal " + GoQuote.quote(raw));
    }
}
