package dev.berth.cli;

import java.util.List;

/** The help texts, laid out like urfave/cli v1's (NAME, USAGE, ..., OPTIONS) so runc users find their way. */
final class Help {
    private Help() {}

    static String app() {
        StringBuilder sb = new StringBuilder();
        sb.append("NAME:\n   berth - Open Container Initiative runtime\n\n")
                .append("   berth runs containers from OCI bundles (a config.json and a root file system)\n")
                .append("   with the command line, state and log formats of runc, so that programs made\n")
                .append("   for runc can call berth instead.\n\n")
                .append("   To start a new instance of a container:\n\n")
                .append("       # berth run [ -b bundle ] <container-id>\n\n")
                .append("   The bundle defaults to the current directory; the id must be unique on this host.\n\n")
                .append("USAGE:\n   berth [global options] command [command options] [arguments...]\n\n")
                .append("VERSION:\n   ").append(Version.BERTH).append("\n   spec: ").append(Version.SPEC).append("\n\n")
                .append("COMMANDS:\n");
        TabWriter commands = new TabWriter(1, 2);
        for (Command c : Commands.all()) commands.write("     " + c.name() + "\t" + c.summary() + "\n");
        commands.write("     help, h\tShows a list of commands or help for one command\n");
        sb.append(commands.flush()).append("\nGLOBAL OPTIONS:\n").append(options(GlobalOptions.FLAGS));
        return sb.toString();
    }

    static String command(Command c) {
        StringBuilder sb = new StringBuilder();
        sb.append("NAME:\n   berth ").append(c.name()).append(" - ").append(c.summary()).append("\n\n");
        sb.append("USAGE:\n   berth ").append(c.name()).append(" [command options] ").append(c.argsUsage()).append('\n');
        if (!c.description().isEmpty()) sb.append("\nDESCRIPTION:\n   ").append(indent(c.description())).append('\n');
        sb.append("\nOPTIONS:\n").append(options(Flag.withHelp(c.flags())));
        return sb.toString();
    }

    static String options(List<Flag> flags) {
        TabWriter w = new TabWriter(1, 2);
        for (Flag f : flags) {
            if (f.hidden()) continue;
            w.write("   " + spelling(f.name(), f) + (f.alias() == null ? "" : ", " + spelling(f.alias(), f)) + "\t"
                    + f.usage() + "\n");
        }
        return w.flush();
    }

    /** "--bundle value" / "-b value" / "--force", as urfave shows flags. */
    private static String spelling(String name, Flag f) {
        return (name.length() == 1 ? "-" : "--") + name + (f.kind() == Flag.Kind.BOOL ? "" : " value");
    }

    private static String indent(String text) {
        return text.replace("\n", "\n   ");
    }
}
