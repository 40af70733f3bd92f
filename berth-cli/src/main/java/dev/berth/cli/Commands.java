package dev.berth.cli;

import java.util.List;

/**
 * The commands by name. Built on demand, one per run, so that start-up loads only the class of
 * the command that runs.
 */
final class Commands {
    /** runc's commands that later issues bring to berth; until then each is a clear error. */
    static final List<String> LATER =
            List.of("checkpoint", "restore");

    private Commands() {}

    /** The command, or null when runc has none of that name. */
    static Command find(String name) {
        return switch (name) {
            case "create" -> new CreateCommand();
            case "delete" -> new DeleteCommand();
            case "doctor" -> new DoctorCommand();
            case "events" -> new EventsCommand();
            case "exec" -> new ExecCommand();
            case "features" -> new FeaturesCommand();
            case "kill" -> new KillCommand();
            case "list" -> new ListCommand();
            case "netns" -> new NetnsCommand();
            case "pause" -> new PauseCommand(true);
            case "ps" -> new PsCommand();
            case "resume" -> new PauseCommand(false);
            case "run" -> new RunCommand();
            case "spec" -> new SpecCommand();
            case "start" -> new StartCommand();
            case "state" -> new StateCommand();
            case "update" -> new UpdateCommand();
            default -> LATER.contains(name) ? new LaterCommand(name) : null;
        };
    }

    /** Every command in runc's order (alphabetical, features last), then berth's own, for the help text. */
    static List<Command> all() {
        String[] names = {"checkpoint", "create", "delete", "events", "exec", "kill", "list", "pause", "ps",
            "restore", "resume", "run", "spec", "start", "state", "update", "features", "doctor", "netns"};
        Command[] commands = new Command[names.length];
        for (int i = 0; i < names.length; i++) commands[i] = find(names[i]);
        return List.of(commands);
    }
}
