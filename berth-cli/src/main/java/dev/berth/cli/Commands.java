package dev.berth.cli;

import java.util.List;

/**
 * The commands by name. Built on demand, one per run, so that start-up loads only the class of
 * the command that runs.
 */
final class Commands {
    /** runc's commands that later issues bring to berth; until then each is a clear error. */
    static final List<String> LATER =
            List.of("checkpoint", "events", "pause", "ps", "restore", "resume", "update");

    private Commands() {}

    /** The command, or null when runc has none of that name. */
    static Command find(String name) {
        return switch (name) {
            case "create" -> new CreateCommand();
            case "delete" -> new DeleteCommand();
            case "exec" -> new ExecCommand();
            case "features" -> new FeaturesCommand();
            case "kill" -> new KillCommand();
            case "list" -> new ListCommand();
            case "run" -> new RunCommand();
            case "spec" -> new SpecCommand();
            case "start" -> new StartCommand();
            case "state" -> new StateCommand();
            default -> LATER.contains(name) ? new LaterCommand(name) : null;
        };
    }

    /** Every command in runc's order (alphabetical, features last), for the help text. */
    static List<Command> all() {
        String[] names = {"checkpoint", "create", "delete", "events", "exec", "kill", "list", "pause", "ps",
            "restore", "resume", "run", "spec", "start", "state", "update", "features"};
        Command[] commands = new Command[names.length];
        for (int i = 0; i < names.length; i++) commands[i] = find(names[i]);
        return List.of(commands);
    }
}
