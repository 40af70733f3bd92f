package dev.berth.cli;

import java.util.List;

/** The flags before the command, runc's global options. */
record GlobalOptions(
        String root,
        String logFile,
        String logFormat,
        boolean debug,
        boolean systemdCgroup,
        String rootless) {

    static final Flag DEBUG = Flag.bool("debug", null, "enable debug logging");
    static final Flag LOG = Flag.string("log", null,
            "set the log file to write berth logs to (default is '/dev/stderr')");
    static final Flag LOG_FORMAT = Flag.string("log-format", null, "set the log format ('text' (default), or 'json')");
    static final Flag ROOT = Flag.string("root", null,
            "root directory for storage of container state (this should be located in tmpfs)");
    static final Flag CRIU = Flag.string("criu", null, "(accepted for compatibility; ignored)").hide();
    static final Flag SYSTEMD_CGROUP = Flag.bool("systemd-cgroup", null,
            "enable systemd cgroup support (not supported yet: berth manages cgroupfs directly)");
    static final Flag ROOTLESS = Flag.string("rootless", null,
            "ignore cgroup permission errors ('true', 'false', or 'auto')");
    static final Flag VERSION = Flag.bool("version", "v", "print the version");

    static final List<Flag> FLAGS =
            List.of(DEBUG, LOG, LOG_FORMAT, ROOT, CRIU, SYSTEMD_CGROUP, ROOTLESS, Flag.HELP, VERSION);

    static GlobalOptions of(ParsedArgs a) {
        return new GlobalOptions(a.string(ROOT, null), a.string(LOG, ""), a.string(LOG_FORMAT, "text"),
                a.bool(DEBUG), a.bool(SYSTEMD_CGROUP), a.string(ROOTLESS, "auto"));
    }
}
