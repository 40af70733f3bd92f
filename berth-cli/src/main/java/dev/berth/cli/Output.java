package dev.berth.cli;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * stdout and stderr as UTF-8 bytes, whatever the locale: Go writes UTF-8, and a POSIX locale
 * would make Java's own encoder turn every non-ASCII character into '?'.
 */
final class Output {
    private final PrintStream out;
    private final PrintStream err;

    Output(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    static Output system() {
        return new Output(System.out, System.err);
    }

    void print(String s) {
        write(out, s);
    }

    void printError(String s) {
        write(err, s);
    }

    PrintStream errorStream() {
        return err;
    }

    private static void write(PrintStream stream, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        stream.write(bytes, 0, bytes.length);
        stream.flush();
    }
}
