package dev.berth.cli;

import dev.berth.api.BerthException;
import dev.berth.api.Log;

/**
 * runc's two log line formats, which are logrus's: containerd's shim reads the JSON lines of
 * {@code --log-format json} to report runc's errors, so they match field for field.
 * <ul>
 *   <li>text: {@code time="2024-05-01T10:00:00Z" level=error msg="container does not exist"}
 *       (values quoted Go-style only when they hold more than letters, digits and {@code -._/@^+})</li>
 *   <li>json: {@code {"level":"error","msg":"...","time":"2024-05-01T10:00:00Z"}} (keys sorted, as
 *       Go writes a map)</li>
 * </ul>
 */
enum LogFormat {
    TEXT, JSON;

    /** runc's --log-format: "" and "text" are text. */
    static LogFormat parse(String name) {
        return switch (name) {
            case "", "text" -> TEXT;
            case "json" -> JSON;
            default -> throw BerthException.invalid("invalid log-format: " + name);
        };
    }

    /** One line, newline included. {@code time} is already formatted (RFC 3339, local offset). */
    String line(Log.Level level, String message, String time) {
        StringBuilder sb = new StringBuilder(message.length() + 64);
        if (this == JSON) {
            sb.append("{\"level\":");
            GoJson.quote(sb, levelName(level));
            sb.append(",\"msg\":");
            GoJson.quote(sb, message);
            sb.append(",\"time\":");
            GoJson.quote(sb, time);
            sb.append('}');
        } else {
            sb.append("time=");
            value(sb, time);
            sb.append(" level=");
            value(sb, levelName(level));
            sb.append(" msg=");
            value(sb, message);
        }
        return sb.append('\n').toString();
    }

    /** logrus's level names: note "warning", not "warn". */
    static String levelName(Log.Level level) {
        return switch (level) {
            case ERROR -> "error";
            case WARN -> "warning";
            case INFO -> "info";
            case DEBUG -> "debug";
        };
    }

    private static void value(StringBuilder sb, String v) {
        if (needsQuoting(v)) GoQuote.quote(sb, v);
        else sb.append(v);
    }

    private static boolean needsQuoting(String v) {
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            boolean plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '/' || c == '@' || c == '^' || c == '+';
            if (!plain) return true;
        }
        return false;
    }
}
