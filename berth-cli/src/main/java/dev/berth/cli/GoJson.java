package dev.berth.cli;

import java.math.BigDecimal;
import java.util.Map;

/**
 * Writes JSON byte for byte as Go's encoding/json does, because runc's callers see Go's output:
 * {@code <}, {@code >} and {@code &} written as backslash-u escapes (u003c, u003e, u0026), as are
 * U+2028 and U+2029; short escapes for backspace, form feed, newline, return and tab (Go 1.22 and
 * later), other control characters as u00XX escapes; and
 * MarshalIndent's layout ("key": value, empty {} and [] kept compact).
 *
 * <p>Maps are written in their iteration order: a Map standing for a Go struct keeps the struct's
 * field order, and one standing for a Go map must be sorted by the caller (a TreeMap).
 */
final class GoJson {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private GoJson() {}

    /** json.Marshal: one line, no trailing newline. */
    static String compact(Object value) {
        StringBuilder sb = new StringBuilder();
        write(sb, value, null, 0);
        return sb.toString();
    }

    /** json.MarshalIndent(value, "", indent): no trailing newline. */
    static String indent(Object value, String indent) {
        StringBuilder sb = new StringBuilder();
        write(sb, value, indent, 0);
        return sb.toString();
    }

    private static void write(StringBuilder sb, Object v, String indent, int depth) {
        if (v == null) {
            sb.append("null");
        } else if (v instanceof String s) {
            quote(sb, s);
        } else if (v instanceof Boolean || v instanceof Integer || v instanceof Long || v instanceof Short
                || v instanceof Byte || v instanceof java.math.BigInteger) {
            sb.append(v);
        } else if (v instanceof Number n) {
            number(sb, n.doubleValue());
        } else if (v instanceof Map<?, ?> m) {
            if (m.isEmpty()) {
                sb.append("{}");
                return;
            }
            sb.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!first) sb.append(',');
                first = false;
                newline(sb, indent, depth + 1);
                quote(sb, String.valueOf(e.getKey()));
                sb.append(indent == null ? ":" : ": ");
                write(sb, e.getValue(), indent, depth + 1);
            }
            newline(sb, indent, depth);
            sb.append('}');
        } else if (v instanceof Iterable<?> list) {
            if (!list.iterator().hasNext()) {
                sb.append("[]");
                return;
            }
            sb.append('[');
            boolean first = true;
            for (Object o : list) {
                if (!first) sb.append(',');
                first = false;
                newline(sb, indent, depth + 1);
                write(sb, o, indent, depth + 1);
            }
            newline(sb, indent, depth);
            sb.append(']');
        } else {
            throw new IllegalArgumentException("cannot write " + v.getClass().getName() + " as JSON");
        }
    }

    /** Go writes floats in plain notation from 1e-6 to 1e21, else as 1.5e-7 / 1e+21 (two exponent digits only when positive). */
    private static void number(StringBuilder sb, double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) throw new IllegalArgumentException("unsupported value: " + d);
        double abs = Math.abs(d);
        if (abs != 0 && (abs < 1e-6 || abs >= 1e21)) {
            String s = Double.toString(d).replace('E', 'e');
            int e = s.indexOf('e');
            String mantissa = s.substring(0, e);
            if (mantissa.endsWith(".0")) mantissa = mantissa.substring(0, mantissa.length() - 2);
            int exp = Integer.parseInt(s.substring(e + 1));
            sb.append(mantissa).append('e');
            if (exp < 0) {
                sb.append('-').append(-exp);
            } else {
                sb.append('+').append(exp < 10 ? "0" : "").append(exp);
            }
        } else {
            sb.append(BigDecimal.valueOf(d).stripTrailingZeros().toPlainString());
        }
    }

    private static void newline(StringBuilder sb, String indent, int depth) {
        if (indent == null) return;
        sb.append('\n');
        for (int i = 0; i < depth; i++) sb.append(indent);
    }

    static void quote(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '<', '>', '&', '\u2028', '\u2029' -> unicode(sb, c);
                default -> {
                    if (c < 0x20) {
                        unicode(sb, c);
                    } else if (Character.isHighSurrogate(c) && i + 1 < s.length()
                            && Character.isLowSurrogate(s.charAt(i + 1))) {
                        sb.append(c).append(s.charAt(++i));
                    } else if (Character.isSurrogate(c)) {
                        sb.append("\\ufffd");
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    private static void unicode(StringBuilder sb, char c) {
        sb.append("\\u");
        for (int shift = 12; shift >= 0; shift -= 4) sb.append(HEX[(c >> shift) & 0xf]);
    }
}
