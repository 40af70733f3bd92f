package dev.berth.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses flags the way runc's urfave/cli v1 does on top of Go's {@code flag} package, so that
 * every command line a runc caller builds means the same to berth:
 * <ul>
 *   <li>{@code -name} and {@code --name} are the same flag; values come as {@code -name=value}
 *       or as the next argument (even one that starts with a dash);</li>
 *   <li>a boolean flag takes no next argument, only {@code -name=false};</li>
 *   <li>parsing stops at the first argument that is not a flag, or after {@code --};</li>
 *   <li>for commands, flags written after the positional arguments are moved in front of them
 *       first (urfave's "reorder"), so {@code delete c1 --force} works.</li>
 * </ul>
 * Errors carry Go's wording ("flag provided but not defined: -x").
 */
final class ArgParser {
    private ArgParser() {}

    static ParsedArgs parse(List<Flag> flags, List<String> args, boolean reorder) throws UsageException {
        List<String> list = reorder ? reorder(flags, args) : args;
        ParsedArgs out = new ParsedArgs();
        int i = 0;
        while (i < list.size()) {
            String s = list.get(i);
            if (s.length() < 2 || s.charAt(0) != '-') break;
            int dashes = 1;
            if (s.charAt(1) == '-') {
                dashes = 2;
                if (s.length() == 2) {
                    i++;
                    break;
                }
            }
            String name = s.substring(dashes);
            if (name.isEmpty() || name.charAt(0) == '-' || name.charAt(0) == '=') {
                throw UsageException.flag("bad flag syntax: " + s);
            }
            i++;
            String value = null;
            int eq = name.indexOf('=');
            if (eq > 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            Flag flag = find(flags, name);
            if (flag == null) throw UsageException.flag("flag provided but not defined: -" + name);
            if (flag.kind() == Flag.Kind.BOOL) {
                out.set(flag, value == null ? Boolean.TRUE : parseBool(value, name));
                continue;
            }
            if (value == null) {
                if (i >= list.size()) throw UsageException.flag("flag needs an argument: -" + name);
                value = list.get(i++);
            }
            if (flag.kind() == Flag.Kind.STRINGS) {
                out.add(flag, value);
            } else {
                out.set(flag, flag.kind() == Flag.Kind.INT ? parseInt(value, name) : value);
            }
        }
        out.positional(List.copyOf(list.subList(i, list.size())));
        return out;
    }

    /**
     * urfave's reorder: every argument that names one of the command's flags goes to the front,
     * together with the argument after it when that one is not a flag itself (it may be the
     * flag's value); everything else keeps its order behind them; {@code --} ends it all.
     */
    static List<String> reorder(List<Flag> flags, List<String> args) {
        List<String> front = new ArrayList<>();
        List<String> rest = new ArrayList<>();
        boolean mayBeValue = false;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (mayBeValue && !namesFlag(flags, arg)) {
                mayBeValue = false;
                front.add(arg);
            } else if (arg.equals("--")) {
                rest.add(0, "--");
                rest.addAll(args.subList(i + 1, args.size()));
                break;
            } else if (namesFlag(flags, arg)) {
                front.add(arg);
                mayBeValue = arg.indexOf('=') < 0;
            } else {
                rest.add(arg);
            }
        }
        front.addAll(rest);
        return front;
    }

    private static boolean namesFlag(List<Flag> flags, String arg) {
        if (arg.equals("-") || arg.equals("--") || !arg.startsWith("-")) return false;
        String name = arg.startsWith("--") ? arg.substring(2) : arg;
        if (name.startsWith("-")) name = name.substring(1);
        int eq = name.indexOf('=');
        if (eq >= 0) name = name.substring(0, eq);
        return find(flags, name) != null;
    }

    private static Flag find(List<Flag> flags, String name) {
        for (Flag f : flags) {
            if (f.named(name)) return f;
        }
        return null;
    }

    /** Go's strconv.ParseBool. */
    static Boolean parseBool(String v, String name) throws UsageException {
        switch (v) {
            case "1", "t", "T", "true", "TRUE", "True" -> {
                return Boolean.TRUE;
            }
            case "0", "f", "F", "false", "FALSE", "False" -> {
                return Boolean.FALSE;
            }
            default -> throw UsageException.flag(
                    "invalid boolean value " + GoQuote.quote(v) + " for -" + name + ": parse error");
        }
    }

    /** Go's strconv.ParseInt(v, 0, 64) as far as flags need it: sign, 0x / 0o / 0b / 0 prefixes. */
    static Integer parseInt(String v, String name) throws UsageException {
        String s = v;
        boolean negative = false;
        if (!s.isEmpty() && (s.charAt(0) == '+' || s.charAt(0) == '-')) {
            negative = s.charAt(0) == '-';
            s = s.substring(1);
        }
        int radix = 10;
        if (s.length() > 1 && s.charAt(0) == '0') {
            char p = Character.toLowerCase(s.charAt(1));
            if (p == 'x' || p == 'o' || p == 'b') {
                radix = p == 'x' ? 16 : p == 'o' ? 8 : 2;
                s = s.substring(2);
            } else {
                radix = 8;
                s = s.substring(1);
            }
        }
        if (s.isEmpty() || s.charAt(0) == '+' || s.charAt(0) == '-') throw badInt(v, name);
        try {
            long n = Long.parseLong(s, radix);
            n = negative ? -n : n;
            if (n < Integer.MIN_VALUE || n > Integer.MAX_VALUE) throw badInt(v, name);
            return (int) n;
        } catch (NumberFormatException e) {
            throw badInt(v, name);
        }
    }

    private static UsageException badInt(String v, String name) {
        return UsageException.flag("invalid value " + GoQuote.quote(v) + " for flag -" + name + ": parse error");
    }
}
