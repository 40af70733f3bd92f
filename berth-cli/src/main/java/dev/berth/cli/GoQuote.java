package dev.berth.cli;

/**
 * Go's {@code %q} / strconv.Quote, which runc uses in its messages ({@code unknown signal "x"})
 * and logrus in its text lines ({@code msg="..."}): a double-quoted string with Go escapes.
 */
final class GoQuote {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private GoQuote() {}

    static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2);
        quote(sb, s);
        return sb.toString();
    }

    static void quote(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); ) {
            int c = s.codePointAt(i);
            i += Character.charCount(c);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case 7 -> sb.append("\\a");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case 11 -> sb.append("\\v");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        sb.append("\\x").append(HEX[c >> 4]).append(HEX[c & 0xf]);
                    } else if (Character.isSurrogate((char) c) && c < 0x10000) {
                        sb.append("\\ufffd");
                    } else if (!printable(c)) {
                        hex(sb, c);
                    } else {
                        sb.appendCodePoint(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    /**
     * Go's unicode.IsPrint for non-ASCII: letters, marks, numbers, punctuation and symbols; every
     * space but U+0020, controls, format, private-use and unassigned characters are escaped.
     */
    private static boolean printable(int c) {
        if (c < 0x7f) return true;
        return switch (Character.getType(c)) {
            case Character.CONTROL, Character.FORMAT, Character.UNASSIGNED, Character.PRIVATE_USE,
                    Character.SURROGATE, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
                    Character.SPACE_SEPARATOR -> false;
            default -> true;
        };
    }

    private static void hex(StringBuilder sb, int c) {
        if (c < 0x10000) {
            sb.append("\\u");
            for (int shift = 12; shift >= 0; shift -= 4) sb.append(HEX[(c >> shift) & 0xf]);
        } else {
            sb.append("\\U");
            for (int shift = 28; shift >= 0; shift -= 4) sb.append(HEX[(c >> shift) & 0xf]);
        }
    }
}
