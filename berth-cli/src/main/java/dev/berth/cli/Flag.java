package dev.berth.cli;

import java.util.List;

/**
 * One command-line flag as urfave/cli v1 declares it for runc: a long name, an optional alias
 * (usually one letter), and the kind of value it takes. Both names work with one or two dashes.
 *
 * @param name the canonical name, the key under which {@link ParsedArgs} keeps the value
 * @param alias another accepted name, or null
 * @param kind what value the flag takes
 * @param usage one line for the help text
 * @param hidden accepted but left out of the help text (runc's obsolete flags)
 */
record Flag(String name, String alias, Kind kind, String usage, boolean hidden) {

    /** STRINGS: repeatable, each occurrence adds a value (urfave's StringSlice). */
    enum Kind { BOOL, STRING, INT, STRINGS }

    static Flag bool(String name, String alias, String usage) {
        return new Flag(name, alias, Kind.BOOL, usage, false);
    }

    static Flag string(String name, String alias, String usage) {
        return new Flag(name, alias, Kind.STRING, usage, false);
    }

    static Flag integer(String name, String alias, String usage) {
        return new Flag(name, alias, Kind.INT, usage, false);
    }

    static Flag strings(String name, String alias, String usage) {
        return new Flag(name, alias, Kind.STRINGS, usage, false);
    }

    Flag hide() {
        return new Flag(name, alias, kind, usage, true);
    }

    boolean named(String n) {
        return name.equals(n) || (alias != null && alias.equals(n));
    }

    /** -h and --help, which urfave adds to the app and to every command. */
    static final Flag HELP = bool("help", "h", "show help");

    /** A command's flags and {@link #HELP}. */
    static List<Flag> withHelp(List<Flag> flags) {
        Flag[] all = flags.toArray(new Flag[flags.size() + 1]);
        all[flags.size()] = HELP;
        return List.of(all);
    }
}
