package dev.berth.cli;

import dev.berth.api.BerthException;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;

/**
 * The berth command line: runc's global options, commands, output and exit statuses.
 *
 * <p>Like runc: usage errors print "Incorrect Usage" and the help to stdout; every failure is
 * logged at error level and, when the log is not stderr already, printed to stderr; the exit
 * status is 1, except for {@code run}, which exits with the container's status.
 */
public final class Main {
    private final Output output;

    Main(Output output) {
        this.output = output;
    }

    public static void main(String[] args) {
        int status = new Main(Output.system()).run(args);
        System.exit(status);
    }

    int run(String[] argv) {
        CliLog log = CliLog.stderr(output);
        ParsedArgs global;
        try {
            global = ArgParser.parse(GlobalOptions.FLAGS, Arrays.asList(argv), false);
        } catch (UsageException e) {
            output.print(e.heading(". ") + "\n\n" + Help.app());
            return fail(log, e.getMessage());
        }
        if (global.bool(Flag.HELP)) {
            output.print(Help.app());
            return 0;
        }
        if (global.bool(GlobalOptions.VERSION)) {
            output.print(Version.text());
            return 0;
        }
        GlobalOptions globals;
        try {
            globals = revise(GlobalOptions.of(global));
            log = CliLog.open(output, globals.logFile(), LogFormat.parse(globals.logFormat()), globals.debug());
        } catch (BerthException | IOException e) {
            return fail(log, Errors.message(e));
        }
        List<String> rest = global.args();
        if (rest.isEmpty()) {
            output.print(Help.app());
            return 0;
        }
        String name = rest.get(0);
        if (name.equals("help") || name.equals("h")) return help(log, rest);
        Command command = Commands.find(name);
        if (command == null) return fail(log, "berth: unknown command " + GoQuote.quote(name) + " (see berth --help)");
        if (command instanceof LaterCommand later) return fail(log, later.message());
        return runCommand(command, rest.subList(1, rest.size()), new Context(globals, log, output));
    }

    private int runCommand(Command command, List<String> args, Context ctx) {
        CliLog log = ctx.log();
        try {
            ParsedArgs a = ArgParser.parse(Flag.withHelp(command.flags()), args, command.reorderArgs());
            if (a.bool(Flag.HELP)) {
                output.print(Help.command(command));
                return 0;
            }
            return command.run(ctx, a);
        } catch (UsageException e) {
            output.print(e.heading(": ") + "\n\n" + Help.command(command));
            return fail(log, e.getMessage());
        } catch (BerthException | IOException e) {
            return fail(log, Errors.message(e));
        } catch (Exception e) {
            // Not an expected failure: with --debug, show where it came from.
            if (ctx.globals().debug()) e.printStackTrace(output.errorStream());
            return fail(log, Errors.message(e));
        }
    }

    /** {@code berth help [command]}. */
    private int help(CliLog log, List<String> rest) {
        if (rest.size() < 2) {
            output.print(Help.app());
            return 0;
        }
        Command c = Commands.find(rest.get(1));
        if (c == null) return fail(log, "No help topic for '" + rest.get(1) + "'");
        output.print(Help.command(c));
        return 0;
    }

    /** runc's reviseRootDir: --root becomes absolute and clean, and may not be "/". */
    static GlobalOptions revise(GlobalOptions g) {
        if (g.root() == null) return g;
        String root = Context.absolute(g.root()).toString();
        if (root.equals("/")) throw BerthException.invalid("Option --root argument should not be set to /");
        return new GlobalOptions(root, g.logFile(), g.logFormat(), g.debug(), g.systemdCgroup(), g.rootless());
    }

    /** runc's fatal(): log the error, print it to stderr unless the log is stderr, exit status 1. */
    private int fail(CliLog log, String message) {
        return fail(log, output, message, 1);
    }

    /** runc's fatalWithCode. */
    static int fail(CliLog log, Output output, String message, int status) {
        log.error(message);
        if (!log.toStderr()) output.printError(message + "\n");
        return status;
    }
}
