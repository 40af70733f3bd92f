package dev.berth.cli;

/** runc's checkArgs: the number of positional arguments a command takes, with runc's wording. */
final class Arity {
    private Arity() {}

    static void exactly(Command c, ParsedArgs a, int n) throws UsageException {
        if (a.args().size() != n) throw error(c, "exactly", n);
    }

    static void atLeast(Command c, ParsedArgs a, int n) throws UsageException {
        if (a.args().size() < n) throw error(c, "a minimum of", n);
    }

    static void atMost(Command c, ParsedArgs a, int n) throws UsageException {
        if (a.args().size() > n) throw error(c, "a maximum of", n);
    }

    private static UsageException error(Command c, String how, int n) {
        return UsageException.arguments("berth: \"" + c.name() + "\" requires " + how + " " + n + " argument(s)");
    }
}
