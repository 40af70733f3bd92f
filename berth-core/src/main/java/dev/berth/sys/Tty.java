package dev.berth.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** Terminal settings through ioctl: raw mode for a foreground container's terminal, window sizes. */
public final class Tty {
    private Tty() {}

    private static final int IOCTL = 16;
    private static final int TCGETS = 0x5401, TCSETS = 0x5402, TIOCGWINSZ = 0x5413, TIOCSWINSZ = 0x5414;
    // struct termios of the kernel: four tcflag_t, c_line, c_cc[19]
    private static final int TERMIOS_SIZE = 36, OFF_IFLAG = 0, OFF_OFLAG = 4, OFF_CFLAG = 8, OFF_LFLAG = 12,
            OFF_CC = 17, VTIME = 5, VMIN = 6;
    private static final int IGNBRK = 01, BRKINT = 02, PARMRK = 010, ISTRIP = 040, INLCR = 0100, IGNCR = 0200,
            ICRNL = 0400, IXON = 02000, OPOST = 01, ECHO = 010, ECHONL = 0100, ICANON = 02, ISIG = 01,
            IEXTEN = 0100000, CSIZE = 060, PARENB = 0400, CS8 = 060;

    /** Whether fd is a terminal. */
    public static boolean isTerminal(int fd) {
        return settings(fd) != null;
    }

    /** The terminal settings of fd, to give back to {@link #restore}; null when fd is no terminal. */
    public static byte[] settings(int fd) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment t = a.allocate(TERMIOS_SIZE, 4);
            if (Sys.raw(IOCTL, fd, TCGETS, t.address()) < 0) return null;
            return t.toArray(ValueLayout.JAVA_BYTE);
        }
    }

    public static void restore(int fd, byte[] settings) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment t = a.allocate(TERMIOS_SIZE, 4);
            MemorySegment.copy(settings, 0, t, ValueLayout.JAVA_BYTE, 0, TERMIOS_SIZE);
            Sys.raw(IOCTL, fd, TCSETS, t.address());
        }
    }

    /** cfmakeraw: no echo, no line editing, no signals from keys, 8-bit bytes passed as they are. */
    public static void makeRaw(int fd, byte[] settings) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment t = a.allocate(TERMIOS_SIZE, 4);
            MemorySegment.copy(settings, 0, t, ValueLayout.JAVA_BYTE, 0, TERMIOS_SIZE);
            and(t, OFF_IFLAG, ~(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR | ICRNL | IXON));
            and(t, OFF_OFLAG, ~OPOST);
            and(t, OFF_LFLAG, ~(ECHO | ECHONL | ICANON | ISIG | IEXTEN));
            and(t, OFF_CFLAG, ~(CSIZE | PARENB));
            t.set(ValueLayout.JAVA_INT, OFF_CFLAG, t.get(ValueLayout.JAVA_INT, OFF_CFLAG) | CS8);
            t.set(ValueLayout.JAVA_BYTE, OFF_CC + VMIN, (byte) 1);
            t.set(ValueLayout.JAVA_BYTE, OFF_CC + VTIME, (byte) 0);
            Sys.call("make the terminal raw", IOCTL, fd, TCSETS, t.address());
        }
    }

    private static void and(MemorySegment t, long off, int mask) {
        t.set(ValueLayout.JAVA_INT, off, t.get(ValueLayout.JAVA_INT, off) & mask);
    }

    /** Gives {@code to} the window size of {@code from}; nothing when from is no terminal. */
    public static void copySize(int from, int to) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment ws = a.allocate(8, 2);
            if (Sys.raw(IOCTL, from, TIOCGWINSZ, ws.address()) < 0) return;
            Sys.raw(IOCTL, to, TIOCSWINSZ, ws.address());
        }
    }
}
