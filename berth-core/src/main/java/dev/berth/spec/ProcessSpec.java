package dev.berth.spec;

import java.util.List;

/**
 * The process of config.json. Optional parts are null when absent; lists are empty. Fields that
 * this berth version does not apply yet are kept so that later versions need no parser change.
 */
public record ProcessSpec(boolean terminal, ConsoleSize consoleSize, User user, List<String> args,
        String commandLine, List<String> env, String cwd, Capabilities capabilities, List<Rlimit> rlimits,
        boolean noNewPrivileges, String apparmorProfile, Integer oomScoreAdj, String selinuxLabel,
        IoPriority ioPriority, Scheduler scheduler, CpuAffinity execCPUAffinity) {

    public ProcessSpec {
        args = List.copyOf(args);
        env = List.copyOf(env);
        rlimits = List.copyOf(rlimits);
    }

    /** The same process with another environment. */
    public ProcessSpec withEnv(List<String> newEnv) {
        return new ProcessSpec(terminal, consoleSize, user, args, commandLine, newEnv, cwd, capabilities, rlimits,
                noNewPrivileges, apparmorProfile, oomScoreAdj, selinuxLabel, ioPriority, scheduler, execCPUAffinity);
    }

    public record ConsoleSize(long height, long width) {
    }

    /** {@code umask} is null when the config does not set one; the process then gets 022, as with runc. */
    public record User(long uid, long gid, Long umask, List<Long> additionalGids, String username) {
        public static final User ROOT = new User(0, 0, null, List.of(), null);

        public User {
            additionalGids = List.copyOf(additionalGids);
        }
    }

    /** Each set is null when the config leaves it out, which differs from an empty set. */
    public record Capabilities(List<String> bounding, List<String> effective, List<String> inheritable,
            List<String> permitted, List<String> ambient) {
    }

    /** {@code hard} and {@code soft} are unsigned 64-bit values; -1 is RLIM_INFINITY. */
    public record Rlimit(String type, long hard, long soft) {
    }

    public record IoPriority(String ioClass, int priority) {
    }

    public record Scheduler(String policy, int nice, int priority, List<String> flags, long runtime,
            long deadline, long period) {
        public Scheduler {
            flags = List.copyOf(flags);
        }
    }

    /** execCPUAffinity: CPU lists for a process entering the container and after its execve. */
    public record CpuAffinity(String initialCpus, String finalCpus) {
    }
}
