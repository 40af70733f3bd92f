package dev.berth.cli;

import dev.berth.api.BerthException;
import dev.berth.api.ExecOptions;
import java.util.List;

/**
 * {@code berth exec <id> <command> [args...]} or {@code berth exec -p process.json <id>}: runs a
 * process in a running container with runc's flags. Exits with the process's status; failures
 * exit 255 with "exec failed: ...", as runc's.
 */
final class ExecCommand implements Command {
    static final int FAILED = 255;

    static final Flag CONSOLE_SOCKET = Flag.string("console-socket", null,
            "path to an AF_UNIX socket which will receive a file descriptor referencing the master end of the "
                    + "console's pseudoterminal");
    static final Flag PIDFD_SOCKET = Flag.string("pidfd-socket", null,
            "path to an AF_UNIX socket which will receive a file descriptor referencing the exec process "
                    + "(not supported yet)");
    static final Flag CWD = Flag.string("cwd", null, "current working directory in the container");
    static final Flag ENV = Flag.strings("env", "e", "set environment variables");
    static final Flag TTY = Flag.bool("tty", "t", "allocate a pseudo-TTY");
    static final Flag USER = Flag.string("user", "u", "UID (format: <uid>[:<gid>])");
    static final Flag ADDITIONAL_GIDS = Flag.strings("additional-gids", "g", "additional gids");
    static final Flag PROCESS = Flag.string("process", "p", "path to the process.json");
    static final Flag DETACH = Flag.bool("detach", "d", "detach from the container's process");
    static final Flag PID_FILE = Flag.string("pid-file", null, "specify the file to write the process id to");
    static final Flag PROCESS_LABEL = Flag.string("process-label", null,
            "set the asm process label for the process commonly used with selinux");
    static final Flag APPARMOR = Flag.string("apparmor", null, "set the apparmor profile for the process");
    static final Flag NO_NEW_PRIVS = Flag.bool("no-new-privs", null, "set the no new privileges value for the process");
    static final Flag CAP = Flag.strings("cap", "c", "add a capability to the bounding set for the process");
    static final Flag PRESERVE_FDS = Flag.integer("preserve-fds", null,
            "Pass N additional file descriptors to the container (stdio + N in total)");
    static final Flag CGROUP = Flag.strings("cgroup", null,
            "run the process in an (existing) sub-cgroup(s) (not supported yet)");
    static final Flag IGNORE_PAUSED = Flag.bool("ignore-paused", null, "allow exec in a paused container");

    @Override
    public String name() {
        return "exec";
    }

    @Override
    public String summary() {
        return "execute new process inside the container";
    }

    @Override
    public String argsUsage() {
        return "<container-id> <command> [command options]  || -p process.json <container-id>\n\n"
                + "Where \"<container-id>\" is the name for the instance of the container and\n"
                + "\"<command>\" is the command to be executed in the container.\n"
                + "\"<command>\" can't be empty unless a \"-p\" flag provided.";
    }

    @Override
    public List<Flag> flags() {
        return List.of(CONSOLE_SOCKET, PIDFD_SOCKET, CWD, ENV, TTY, USER, ADDITIONAL_GIDS, PROCESS, DETACH, PID_FILE,
                PROCESS_LABEL, APPARMOR, NO_NEW_PRIVS, CAP, PRESERVE_FDS, CGROUP, IGNORE_PAUSED);
    }

    @Override
    public boolean reorderArgs() {
        return false;
    }

    @Override
    public int run(Context ctx, ParsedArgs a) throws UsageException {
        Arity.atLeast(this, a, a.string(PROCESS, "").isEmpty() ? 2 : 1);
        try {
            String id = ContainerIds.check(a.arg(0));
            ExecOptions options = options(a);
            return ctx.runtime().get(id).exec(options);
        } catch (BerthException e) {
            return Main.fail(ctx.log(), ctx.out(), "exec failed: " + e.getMessage(), FAILED);
        }
    }

    static ExecOptions options(ParsedArgs a) {
        if (!a.string(PIDFD_SOCKET, "").isEmpty()) throw BundleFlags.later("--pidfd-socket");
        if (!a.strings(CGROUP).isEmpty()) throw BundleFlags.later("--cgroup");
        int preserve = a.integer(PRESERVE_FDS, 0);
        if (preserve < 0) throw BerthException.invalid("--preserve-fds: " + preserve + " must not be negative");
        ExecOptions.Builder b = ExecOptions.builder()
                .args(a.args().subList(1, a.args().size()))
                .tty(a.bool(TTY))
                .cwd(emptyToNull(a.string(CWD, "")))
                .apparmorProfile(emptyToNull(a.string(APPARMOR, "")))
                .processLabel(emptyToNull(a.string(PROCESS_LABEL, "")))
                .detach(a.bool(DETACH))
                .preserveFds(preserve)
                .ignorePaused(a.bool(IGNORE_PAUSED));
        String process = a.string(PROCESS, "");
        if (!process.isEmpty()) b.processFile(Context.absolute(process));
        String pidFile = a.string(PID_FILE, "");
        if (!pidFile.isEmpty()) b.pidFile(Context.absolute(pidFile));
        String socket = a.string(CONSOLE_SOCKET, "");
        if (!socket.isEmpty()) b.consoleSocket(Context.absolute(socket));
        if (a.isSet(NO_NEW_PRIVS)) b.noNewPrivileges(a.bool(NO_NEW_PRIVS));
        for (String e : a.strings(ENV)) b.env(e);
        for (String c : a.strings(CAP)) b.capability(c);
        for (String g : a.strings(ADDITIONAL_GIDS)) b.additionalGid(id("--additional-gids", g));
        String user = a.string(USER, "");
        if (!user.isEmpty()) {
            int colon = user.indexOf(':');
            b.uid(id("--user", colon < 0 ? user : user.substring(0, colon)));
            if (colon >= 0) b.gid(id("--user", user.substring(colon + 1)));
        }
        return b.build();
    }

    /** A uid or gid: decimal, 0 to 2^32-2 (2^32-1 is the kernel's "no id"). */
    private static long id(String flag, String s) {
        long v = -1;
        if (!s.isEmpty() && s.length() <= 10) {
            v = 0;
            for (int i = 0; i < s.length() && v >= 0; i++) {
                char c = s.charAt(i);
                v = c >= '0' && c <= '9' ? v * 10 + (c - '0') : -1;
            }
        }
        if (v < 0 || v > 0xffff_fffeL) {
            throw BerthException.invalid(flag + ": " + GoQuote.quote(s) + " is not a valid id (a number from 0 to "
                    + 0xffff_fffeL + ")");
        }
        return v;
    }

    private static String emptyToNull(String s) {
        return s.isEmpty() ? null : s;
    }
}
