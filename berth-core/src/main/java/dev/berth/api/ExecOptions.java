package dev.berth.api;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What `exec` runs in a container and how (runc's exec flags). The process is the one in
 * {@code processFile} (a runtime-spec process JSON) when given, otherwise the container's
 * config.json process with {@code args}; either way the fields set here override or extend it.
 *
 * @param processFile a process.json, or null
 * @param args the command; required without a process file
 * @param tty allocate a terminal (process.terminal = true)
 * @param cwd the working directory, or null to keep the process's
 * @param env NAME=value entries added to the process's; a name already there is replaced
 * @param uid the user, or null to keep the process's
 * @param gid the group, or null to keep the process's
 * @param additionalGids groups added to the process's
 * @param capabilities capabilities added to its bounding, effective and permitted sets (and to
 *     the ambient set when the process has an inheritable set), as runc's --cap
 * @param noNewPrivileges overrides process.noNewPrivileges, or null
 * @param apparmorProfile overrides process.apparmorProfile, or null
 * @param processLabel overrides process.selinuxLabel, or null
 * @param detach return as soon as the process runs instead of waiting for its exit
 * @param pidFile where to write the process's PID, or null
 * @param consoleSocket with a terminal and {@code detach}: receives the pty's master
 * @param preserveFds descriptors 3 to 3+N-1 of the calling process passed on at the same numbers
 * @param ignorePaused run even in a paused container (the process is frozen with it)
 */
public record ExecOptions(Path processFile, List<String> args, boolean tty, String cwd, List<String> env,
        Long uid, Long gid, List<Long> additionalGids, List<String> capabilities, Boolean noNewPrivileges,
        String apparmorProfile, String processLabel, boolean detach, Path pidFile, Path consoleSocket,
        int preserveFds, boolean ignorePaused) {

    public ExecOptions {
        args = List.copyOf(args);
        env = List.copyOf(env);
        additionalGids = List.copyOf(additionalGids);
        capabilities = List.copyOf(capabilities);
        if (preserveFds < 0) throw BerthException.invalid("preserveFds must not be negative");
    }

    /** A command to run in the foreground with the container's process settings. */
    public static ExecOptions of(String... args) {
        return builder().args(List.of(args)).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link ExecOptions} field by field; unset fields keep the container's process. */
    public static final class Builder {
        private Path processFile;
        private List<String> args = List.of();
        private boolean tty;
        private String cwd;
        private final List<String> env = new ArrayList<>();
        private Long uid;
        private Long gid;
        private final List<Long> additionalGids = new ArrayList<>();
        private final List<String> capabilities = new ArrayList<>();
        private Boolean noNewPrivileges;
        private String apparmorProfile;
        private String processLabel;
        private boolean detach;
        private Path pidFile;
        private Path consoleSocket;
        private int preserveFds;
        private boolean ignorePaused;

        private Builder() {}

        public Builder processFile(Path v) { processFile = v; return this; }
        public Builder args(List<String> v) { args = v; return this; }
        public Builder tty(boolean v) { tty = v; return this; }
        public Builder cwd(String v) { cwd = v; return this; }
        public Builder env(String nameEqualsValue) { env.add(nameEqualsValue); return this; }
        public Builder uid(Long v) { uid = v; return this; }
        public Builder gid(Long v) { gid = v; return this; }
        public Builder additionalGid(long v) { additionalGids.add(v); return this; }
        public Builder capability(String v) { capabilities.add(v); return this; }
        public Builder noNewPrivileges(Boolean v) { noNewPrivileges = v; return this; }
        public Builder apparmorProfile(String v) { apparmorProfile = v; return this; }
        public Builder processLabel(String v) { processLabel = v; return this; }
        public Builder detach(boolean v) { detach = v; return this; }
        public Builder pidFile(Path v) { pidFile = v; return this; }
        public Builder consoleSocket(Path v) { consoleSocket = v; return this; }
        public Builder preserveFds(int v) { preserveFds = v; return this; }
        public Builder ignorePaused(boolean v) { ignorePaused = v; return this; }

        public ExecOptions build() {
            return new ExecOptions(processFile, args, tty, cwd, env, uid, gid, additionalGids, capabilities,
                    noNewPrivileges, apparmorProfile, processLabel, detach, pidFile, consoleSocket, preserveFds,
                    ignorePaused);
        }
    }
}
