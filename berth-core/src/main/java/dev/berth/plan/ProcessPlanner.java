package dev.berth.plan;

import dev.berth.seccomp.SeccompCompiler;
import dev.berth.spec.Capability;
import dev.berth.spec.CpuList;
import dev.berth.spec.LinuxSpec;
import dev.berth.spec.ProcessSpec;
import dev.berth.spec.ResourceLimit;
import dev.berth.spec.SchedAttr;
import dev.berth.spec.Seccomp;
import java.util.List;

/**
 * The P_PROCESS attribute: what berth-init applies to the process before execve, for create and
 * for exec alike. Every value is computed here (capability masks, resource numbers, the BPF
 * program, where the filter is loaded); the helper only applies them, in the order process.c
 * documents.
 */
public final class ProcessPlanner {
    private ProcessPlanner() {}

    /**
     * Writes P_PROCESS for {@code p} in the container of {@code linux} (its seccomp filter,
     * personality and mount label). Warnings (system calls libseccomp does not know) are added to
     * {@code warnings}. Bad values for this host (a label for an absent LSM) throw.
     */
    public static void write(MessageWriter w, ProcessSpec p, LinuxSpec linux, List<String> warnings) {
        write(w, p, linux, warnings, false, null);
    }

    /**
     * As above; {@code exec} is true for a process that joins a running container, the only one
     * execCPUAffinity applies to (runtime-spec: "not applicable to the container's init process").
     * Its "final" list is applied by berth-init once in the container's cgroup; "initial" is the
     * caller's to apply to berth-init before that ({@link dev.berth.spec.CpuList#mask}).
     */
    public static void write(MessageWriter w, ProcessSpec p, LinuxSpec linux, List<String> warnings, boolean exec) {
        write(w, p, linux, warnings, exec, null);
    }

    /** With the LSM facts given (tests); null reads them from the host when needed. */
    static void write(MessageWriter w, ProcessSpec p, LinuxSpec linux, List<String> warnings, boolean exec, Lsm lsm) {
        Seccomp seccomp = linux.seccomp();
        w.begin(Protocol.P_PROCESS);
        for (String a : p.args()) w.str(Protocol.PR_ARG, a);
        for (String e : p.env()) w.str(Protocol.PR_ENV, e);
        w.str(Protocol.PR_CWD, p.cwd());
        w.u32(Protocol.PR_UID, p.user().uid());
        w.u32(Protocol.PR_GID, p.user().gid());
        for (long g : p.user().additionalGids()) w.u32(Protocol.PR_ADDITIONAL_GID, g);
        // runc sets 022 when the config has no umask, rather than keep the one it was started with.
        w.u32(Protocol.PR_UMASK, p.user().umask() != null ? p.user().umask() : 0022);
        capabilities(w, p.capabilities(), warnings);
        for (ProcessSpec.Rlimit r : p.rlimits()) {
            w.begin(Protocol.PR_RLIMIT)
                    .u32(Protocol.A_RESOURCE, ResourceLimit.number(r.type()))
                    .u64(Protocol.A_SOFT, r.soft())
                    .u64(Protocol.A_HARD, r.hard())
                    .end();
        }
        if (p.noNewPrivileges()) w.u32(Protocol.PR_NO_NEW_PRIVS, 1);
        if (p.oomScoreAdj() != null) w.u32(Protocol.PR_OOM_SCORE_ADJ, p.oomScoreAdj());
        if (exec && p.execCPUAffinity() != null && p.execCPUAffinity().finalCpus() != null) {
            w.bytes(Protocol.PR_CPU_AFFINITY, CpuList.mask(p.execCPUAffinity().finalCpus()));
        }
        if (p.scheduler() != null) w.bytes(Protocol.PR_SCHED_ATTR, SchedAttr.encode(p.scheduler()));
        if (p.ioPriority() != null) w.u32(Protocol.PR_IOPRIO, SchedAttr.ioPriority(p.ioPriority()));
        if (linux.personality() != null) w.u32(Protocol.PR_PERSONALITY, SchedAttr.personality(linux.personality()));
        labels(w, p, linux, warnings, lsm);
        if (seccomp != null) seccomp(w, seccomp, p.noNewPrivileges(), warnings);
        if (p.terminal() && p.consoleSize() != null) {
            w.u32(Protocol.PR_CONSOLE_HEIGHT, p.consoleSize().height());
            w.u32(Protocol.PR_CONSOLE_WIDTH, p.consoleSize().width());
        }
        w.end();
    }

    /**
     * AppArmor profile and SELinux label, each an error when its module is not active here (a
     * container asked to be confined by a profile must not run unconfined). linux.mountLabel
     * needs SELinux too; berth does not label mounts yet, which it says.
     */
    private static void labels(MessageWriter w, ProcessSpec p, LinuxSpec linux, List<String> warnings, Lsm lsm) {
        if (p.apparmorProfile() == null && p.selinuxLabel() == null && linux.mountLabel() == null) return;
        if (lsm == null) lsm = Lsm.host();
        lsm.write(w, p.apparmorProfile(), p.selinuxLabel());
        if (linux.mountLabel() != null) {
            if (!lsm.seLinux()) throw Lsm.absent("linux.mountLabel", linux.mountLabel(), "SELinux");
            warnings.add("config.json: linux.mountLabel is not applied by this berth version");
        }
    }

    /**
     * All five masks. Without process.capabilities every set is empty, as with runc up to 1.2
     * (Debian's): runc 1.3 leaves the capabilities alone instead, which would make the container
     * less confined than under the runc these machines have. Capabilities this kernel does not
     * know were reported when the config was read and are left out here.
     */
    private static void capabilities(MessageWriter w, ProcessSpec.Capabilities c, List<String> warnings) {
        if (c == null) c = new ProcessSpec.Capabilities(null, null, null, null, null);
        int last = Capability.lastCap();
        // The kernel raises an ambient capability only if it is permitted and inheritable; runc
        // warns and goes on without it. It is left out of the plan here, where the warning can
        // name it.
        long raisable = Capability.mask(c.permitted(), last) & Capability.mask(c.inheritable(), last);
        long missing = Capability.mask(c.ambient(), last) & ~raisable;
        for (int i = 0; i < 64; i++) {
            if ((missing >>> i & 1) != 0) {
                warnings.add("config.json: process.capabilities.ambient: " + Capability.name(i)
                        + " is not both permitted and inheritable, so it cannot be ambient; ignored");
            }
        }
        w.u64(Protocol.PR_CAPS_BOUNDING, Capability.mask(c.bounding(), last));
        w.u64(Protocol.PR_CAPS_EFFECTIVE, Capability.mask(c.effective(), last));
        w.u64(Protocol.PR_CAPS_PERMITTED, Capability.mask(c.permitted(), last));
        w.u64(Protocol.PR_CAPS_INHERITABLE, Capability.mask(c.inheritable(), last));
        w.u64(Protocol.PR_CAPS_AMBIENT, Capability.mask(c.ambient(), last) & raisable);
    }

    /**
     * Where the filter is loaded follows runc: without no_new_privs, loading needs CAP_SYS_ADMIN,
     * so it happens before the capabilities are dropped; with it, as late as possible, so that a
     * profile need not allow what the helper does after. A notify filter's descriptor must reach
     * berth, which stops listening at MSG_READY in create mode: it is loaded just before.
     */
    private static void seccomp(MessageWriter w, Seccomp s, boolean noNewPrivileges, List<String> warnings) {
        SeccompCompiler.Program prog = SeccompCompiler.compile(s, warnings);
        int stage = !noNewPrivileges ? Protocol.SECCOMP_AT_USER
                : s.notifies() ? Protocol.SECCOMP_AT_READY : Protocol.SECCOMP_AT_EXEC;
        w.begin(Protocol.PR_SECCOMP)
                .bytes(Protocol.A_PROGRAM, prog.bpf())
                .u64(Protocol.A_FLAGS, prog.flags())
                .u32(Protocol.A_STAGE, stage)
                .end();
    }
}
