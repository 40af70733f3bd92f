package dev.berth.engine;

import dev.berth.sys.Sys;
import dev.berth.sys.Tty;
import java.util.function.IntSupplier;

/**
 * A foreground container's terminal without a console socket: berth copies its own stdin to the
 * pty's master and the master to its stdout, with its terminal in raw mode (so that keys such as
 * Ctrl-C reach the container's terminal, which makes the signal) and restored afterwards, and
 * keeps the container's window size equal to its own.
 */
final class TerminalCopy {
    private static final int STDIN = 0, STDOUT = 1;
    private static final int EIO = 5;

    private TerminalCopy() {}

    /** Copies until {@code waitForExit} returns, then drains the output; returns its result. */
    static int run(int master, IntSupplier waitForExit) {
        byte[] saved = Tty.settings(STDIN);
        if (saved != null) {
            Tty.copySize(STDIN, master);
            Tty.makeRaw(STDIN, saved);
        }
        installResize(master);
        try {
            Thread in = new Thread(() -> pump(STDIN, master), "berth-tty-in");
            in.setDaemon(true);
            in.start();
            Thread out = new Thread(() -> pump(master, STDOUT), "berth-tty-out");
            out.setDaemon(true);
            out.start();
            int status = waitForExit.getAsInt();
            // The output ends with EIO once no process holds the slave; processes the container
            // left behind may hold it longer, which is not worth waiting for.
            try {
                out.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return status;
        } finally {
            if (saved != null) Tty.restore(STDIN, saved);
        }
    }

    private static void pump(int from, int to) {
        try {
            while (true) {
                byte[] b = Sys.read("read terminal", from, 8192);
                if (b == null || b.length == 0) return;
                Sys.write("write terminal", to, b);
            }
        } catch (RuntimeException e) {
            // EIO from the master: the container's side is closed. Anything else ends the copy too.
        }
    }

    @SuppressWarnings("removal")
    private static void installResize(int master) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("WINCH"), s -> Tty.copySize(STDIN, master));
        } catch (IllegalArgumentException reservedByJvm) {
            // no resizing then
        }
    }
}
