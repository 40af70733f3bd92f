package dev.berth.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The training run of berth's AOT cache (scripts/aot-train.sh): one JVM runs a list of real
 * commands, so that the cache the JVM writes at exit holds the classes, linked call sites and
 * profiles of all of them. One cache can come from one run only, hence this driver rather than
 * a script of separate {@code berth} calls.
 *
 * <p>The file has one command per line, its words separated by spaces (no quoting: the script
 * writes plain paths); blank lines and lines starting with {@code #} are skipped. Exit statuses
 * are printed, not checked: error paths are worth training too.
 */
public final class AotTraining {
    private AotTraining() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: AotTraining COMMANDS-FILE");
            System.exit(2);
        }
        List<String> lines = Files.readAllLines(Path.of(args[0]));
        for (String line : lines) {
            String command = line.strip();
            if (command.isEmpty() || command.startsWith("#")) continue;
            int status = new Main(Output.system()).run(command.split(" +"));
            System.out.println("aot training: exit " + status + ": berth " + command);
        }
    }
}
