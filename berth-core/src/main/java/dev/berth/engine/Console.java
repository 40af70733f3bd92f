package dev.berth.engine;

import dev.berth.api.BerthException;
import dev.berth.plan.Message;
import dev.berth.plan.Protocol;
import dev.berth.sys.Sys;
import dev.berth.sys.UnixSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The master of a container's pty, as berth-init sends it (MSG_SEND_FD "console"), and where it
 * goes: to the caller's --console-socket, or to berth itself for a foreground terminal.
 */
final class Console {
    /** What runc sends as the data of the message that carries the master (the pty's name). */
    private static final byte[] NAME = "/dev/ptmx".getBytes(StandardCharsets.UTF_8);

    private Console() {}

    /** The master that came with {@code m}; throws when the helper sent something else. */
    static int master(Message m, HelperChannel channel) {
        int fd = channel.takeDescriptor();
        if (!"console".equals(m.str(Protocol.A_NAME, "")) || fd < 0) {
            Sys.close(fd);
            throw new BerthException(BerthException.Kind.SYSTEM,
                    "berth-init sent a descriptor berth did not ask for: " + m.str(Protocol.A_NAME, "?"));
        }
        return fd;
    }

    /**
     * Sends the master over the AF_UNIX socket at {@code socket} with SCM_RIGHTS, as runc's
     * docs/terminals.md describes, and closes berth's copy.
     */
    static void deliver(int master, Path socket) {
        int sock = -1;
        try {
            sock = UnixSocket.connect(socket.toString());
            UnixSocket.sendFd("send the console to " + socket, sock, NAME, master);
        } catch (BerthException e) {
            throw e.within("console socket");
        } finally {
            Sys.close(sock);
            Sys.close(master);
        }
    }

    /**
     * runc's checkTerminal: a terminal without a console socket is only for a process that stays
     * in the foreground, and a console socket only for a terminal that does not.
     */
    static void check(boolean terminal, boolean detached, Path consoleSocket) {
        if (detached && terminal && consoleSocket == null) {
            throw BerthException.invalid("cannot allocate tty if berth will detach without setting console socket");
        }
        if ((!detached || !terminal) && consoleSocket != null) {
            throw BerthException.invalid("cannot use console socket if berth will not detach or allocate tty");
        }
    }
}
