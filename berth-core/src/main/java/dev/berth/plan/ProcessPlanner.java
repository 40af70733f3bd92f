package dev.berth.plan;

import dev.berth.seccomp.SeccompCompiler;
import dev.berth.spec.Capability;
import dev.berth.spec.ProcessSpec;
import dev.berth.spec.ResourceLimit;
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
     * Writes P_PROCESS for {@code p}, with the container's seccomp filter (null for none).
     * Warnings (system calls libseccomp does not know) are added to {@code warnings}.
     */
    public static void write(MessageWriter w, ProcessSpec p, Seccomp seccomp, List<String> warnings) {
        w.begin(Protocol.P_PROCESS);
        for (String a : p.args()) w.str(Protocol.PR_ARG, a);
        for (String e : p.env()) w.str(Protocol.PR_ENV, e);
        w.str(Protocol.PR_CWD, p.cwd());
        w.u32(Protocol.PR_UID, p.user().uid());
        w.u32(Protocol.PR_GID, p.user().gid());
        for (long g : p.user().additionalGids()) w.u32(Protocol.PR_ADDITIONAL_GID, g);
        // runc sets 022 when the config has no umask, rather than keep the one it was started with.
        w.u32(Protocol.PR_UMASK, p.user().umask() != null ? p.user().umask() : 0022);
        capabilities(w, p.capabilities());
        for (ProcessSpec.Rlimit r : p.rlimits()) {
            w.begin(Protocol.PR_RLIMIT)
                    .u32(Protocol.A_RESOURCE, ResourceLimit.number(r.type()))
                    .u64(Protocol.A_SOFT, r.soft())
                    .u64(Protocol.A_HARD, r.hard())
                    .end();
        }
        if (p.noNewPrivileges()) w.u32(Protocol.PR_NO_NEW_PRIVS, 1);
        if (p.oomScoreAdj() != null) w.u32(Protocol.PR_OOM_SCORE_ADJ, p.oomScoreAdj());
        if (seccomp != null) seccomp(w, seccomp, p.noNewPrivileges(), warnings);
        w.end();
    }

    /**
     * All five masks. Without process.capabilities every set is empty, as with runc up to 1.2
     * (Debian's): runc 1.3 leaves the capabilities alone instead, which would make the container
     * less confined than under the runc these machines have. Capabilities this kernel does not
     * know were reported when the config was read and are left out here.
     */
    private static void capabilities(MessageWriter w, ProcessSpec.Capabilities c) {
        if (c == null) c = new ProcessSpec.Capabilities(null, null, null, null, null);
        int last = Capability.lastCap();
        w.u64(Protocol.PR_CAPS_BOUNDING, Capability.mask(c.bounding(), last));
        w.u64(Protocol.PR_CAPS_EFFECTIVE, Capability.mask(c.effective(), last));
        w.u64(Protocol.PR_CAPS_PERMITTED, Capability.mask(c.permitted(), last));
        w.u64(Protocol.PR_CAPS_INHERITABLE, Capability.mask(c.inheritable(), last));
        w.u64(Protocol.PR_CAPS_AMBIENT, Capability.mask(c.ambient(), last));
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
