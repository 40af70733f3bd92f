package dev.berth.spec;

/**
 * SemVer 2.0.0 syntax, which runtime-spec requires of ociVersion: MAJOR.MINOR.PATCH without
 * leading zeros, then an optional -pre-release and +build of dot-separated [0-9A-Za-z-]
 * identifiers. Checked by hand: java.util.regex would cost start-up time on every command.
 */
final class SemVer {
    private SemVer() {}

    static boolean isValid(String v) {
        int plus = v.indexOf('+');
        String main = plus < 0 ? v : v.substring(0, plus);
        if (plus >= 0 && !identifiers(v.substring(plus + 1))) return false;
        int dash = main.indexOf('-');
        String core = dash < 0 ? main : main.substring(0, dash);
        if (dash >= 0 && !identifiers(main.substring(dash + 1))) return false;
        String[] parts = core.split("\\.", -1);
        if (parts.length != 3) return false;
        for (String p : parts) {
            if (p.isEmpty() || (p.length() > 1 && p.charAt(0) == '0')) return false;
            for (int i = 0; i < p.length(); i++) {
                if (p.charAt(i) < '0' || p.charAt(i) > '9') return false;
            }
        }
        return true;
    }

    private static boolean identifiers(String s) {
        for (String id : s.split("\\.", -1)) {
            if (id.isEmpty()) return false;
            for (int i = 0; i < id.length(); i++) {
                char c = id.charAt(i);
                boolean ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-';
                if (!ok) return false;
            }
        }
        return true;
    }
}
