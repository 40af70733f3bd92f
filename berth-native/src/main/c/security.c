/*
 * The process settings that confine the container's process: OOM score,
 * resource limits, no_new_privs, capabilities and the seccomp filter. Java
 * computed every value (masks, limits, the BPF program); each function here
 * applies one attribute of P_PROCESS. process.c calls them in runc's order,
 * which is written down there.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdio.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "berth.h"
#include "report.h"

/* Stage 0, before any namespace: the host's /proc is still there (the container
 * may not mount one), and the value is inherited by the init and everything
 * it starts. */
void security_oom_score(const struct plan *p) {
    struct attr a;
    if (!attrs_find(p->process, PR_OOM_SCORE_ADJ, &a)) return;
    int score = (int32_t)attr_u32(&a);
    log_debug("oom_score_adj %d", score);
    char text[16];
    int n = snprintf(text, sizeof text, "%d", score);
    int fd = open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC);
    if (fd < 0 || write(fd, text, (size_t)n) != n)
        fail_errno("oom score", "/proc/self/oom_score_adj", "set oom_score_adj to %d", score);
    close(fd);
}

static const char *const rlimit_names[] = {
    "RLIMIT_CPU",    "RLIMIT_FSIZE", "RLIMIT_DATA",       "RLIMIT_STACK",    "RLIMIT_CORE", "RLIMIT_RSS",
    "RLIMIT_NPROC",  "RLIMIT_NOFILE", "RLIMIT_MEMLOCK",   "RLIMIT_AS",       "RLIMIT_LOCKS", "RLIMIT_SIGPENDING",
    "RLIMIT_MSGQUEUE", "RLIMIT_NICE", "RLIMIT_RTPRIO",    "RLIMIT_RTTIME",
};

/* Before the user switch: raising a hard limit needs privilege the user may lack. */
void security_rlimits(struct attrs pr) {
    struct attr a;
    while (attr_next(&pr, &a)) {
        if (a.type != PR_RLIMIT) continue;
        struct attrs r = attr_nested(&a);
        unsigned resource = attrs_u32(r, A_RESOURCE, 0);
        struct rlimit lim = {attrs_u64(r, A_SOFT, 0), attrs_u64(r, A_HARD, 0)};
        const char *name = resource < sizeof rlimit_names / sizeof *rlimit_names ? rlimit_names[resource] : "?";
        log_debug("%s soft %llu hard %llu", name, (unsigned long long)lim.rlim_cur, (unsigned long long)lim.rlim_max);
        if (setrlimit((int)resource, &lim) < 0)
            fail_errno("rlimits", NULL, "set %s (%u) to soft %llu, hard %llu", name, resource,
                       (unsigned long long)lim.rlim_cur, (unsigned long long)lim.rlim_max);
    }
}

void security_no_new_privs(struct attrs pr) {
    if (!attrs_u32(pr, PR_NO_NEW_PRIVS, 0)) return;
    log_debug("no_new_privs");
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) fail_errno("process", NULL, "prctl(PR_SET_NO_NEW_PRIVS)");
}

/* The AppArmor profile or SELinux label for the next execve: the kernel takes it
 * from the process's own attribute file, whose path Java chose for this kernel. */
void security_lsm(struct attrs pr) {
    struct attr a;
    while (attr_next(&pr, &a)) {
        if (a.type != PR_LSM_ATTR) continue;
        struct attrs l = attr_nested(&a);
        const char *path = attrs_str(l, A_PATH, ""), *value = attrs_str(l, A_VALUE, "");
        log_debug("write \"%s\" to %s", value, path);
        int fd = open(path, O_WRONLY | O_CLOEXEC);
        size_t len = strlen(value);
        if (fd < 0 || write(fd, value, len) != (ssize_t)len) fail_errno("lsm", path, "write \"%s\" to %s", value, path);
        close(fd);
    }
}

/* execCPUAffinity "final": the CPUs of a process joining the container, set
 * first, now that berth has put us in the container's cgroup. */
void security_cpu_affinity(struct attrs pr) {
    struct attr a;
    if (!attrs_find(pr, PR_CPU_AFFINITY, &a)) return;
    log_debug("CPU affinity (%u bytes of mask)", a.len);
    if (syscall(SYS_sched_setaffinity, 0, (unsigned long)a.len, a.data) < 0)
        fail_errno("cpu affinity", NULL, "sched_setaffinity");
}

/* Scheduler, I/O priority and execution domain, as runc sets them: after
 * no_new_privs, before the user switch (a real-time policy needs CAP_SYS_NICE). */
void security_sched(struct attrs pr) {
    struct attr a;
    if (attrs_find(pr, PR_SCHED_ATTR, &a)) {
        log_debug("sched_setattr (%u bytes)", a.len);
        if (syscall(SYS_sched_setattr, 0, a.data, 0) < 0) fail_errno("scheduler", NULL, "sched_setattr");
    }
    if (attrs_find(pr, PR_IOPRIO, &a)) {
        uint32_t prio = attr_u32(&a);
        log_debug("ioprio_set 0x%x", prio);
        if (syscall(SYS_ioprio_set, 1 /* IOPRIO_WHO_PROCESS */, 0, prio) < 0)
            fail_errno("io priority", NULL, "ioprio_set class %u priority %u", prio >> 13, prio & 0x1fff);
    }
    if (attrs_find(pr, PR_PERSONALITY, &a)) {
        uint32_t persona = attr_u32(&a);
        log_debug("personality 0x%x", persona);
        if (personality(persona) < 0) fail_errno("personality", NULL, "personality(0x%x)", persona);
    }
}

static bool has_caps(struct attrs pr) {
    struct attr a;
    return attrs_find(pr, PR_CAPS_BOUNDING, &a);
}

/* Before the user switch, while we still have CAP_SETPCAP: every capability the
 * kernel knows (PR_CAPBSET_READ says EINVAL past the last one) and the bounding
 * set lacks is dropped. Then PR_SET_KEEPCAPS, so that a switch away from uid 0
 * keeps the permitted set for security_caps_after_user. */
void security_caps_before_user(struct attrs pr) {
    if (!has_caps(pr)) return;
    uint64_t bounding = attrs_u64(pr, PR_CAPS_BOUNDING, 0);
    log_debug("capability bounding set 0x%016llx", (unsigned long long)bounding);
    for (int cap = 0; cap < 64; cap++) {
        if (prctl(PR_CAPBSET_READ, cap, 0, 0, 0) < 0) break;
        if (bounding >> cap & 1) continue;
        if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0)
            fail_errno("capabilities", NULL, "drop capability %d from the bounding set", cap);
    }
    if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0) fail_errno("capabilities", NULL, "prctl(PR_SET_KEEPCAPS)");
}

/* After the user switch: the three sets of capset(2), then the ambient set. An
 * ambient capability that is not both permitted and inheritable cannot be
 * raised: runc warns and goes on, and so do we. */
void security_caps_after_user(struct attrs pr) {
    if (!has_caps(pr)) return;
    if (prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0) fail_errno("capabilities", NULL, "prctl(PR_SET_KEEPCAPS, 0)");
    uint64_t eff = attrs_u64(pr, PR_CAPS_EFFECTIVE, 0), perm = attrs_u64(pr, PR_CAPS_PERMITTED, 0),
             inh = attrs_u64(pr, PR_CAPS_INHERITABLE, 0), amb = attrs_u64(pr, PR_CAPS_AMBIENT, 0);
    log_debug("capabilities effective 0x%016llx permitted 0x%016llx inheritable 0x%016llx ambient 0x%016llx",
              (unsigned long long)eff, (unsigned long long)perm, (unsigned long long)inh, (unsigned long long)amb);
    struct __user_cap_header_struct hdr = {_LINUX_CAPABILITY_VERSION_3, 0};
    struct __user_cap_data_struct data[2] = {
        {(uint32_t)eff, (uint32_t)perm, (uint32_t)inh},
        {(uint32_t)(eff >> 32), (uint32_t)(perm >> 32), (uint32_t)(inh >> 32)},
    };
    if (syscall(SYS_capset, &hdr, data) < 0) fail_errno("capabilities", NULL, "capset");
    if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL)
        fail_errno("capabilities", NULL, "clear the ambient capabilities");
    for (int cap = 0; cap < 64; cap++) {
        if (!(amb >> cap & 1)) continue;
        if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0) < 0)
            log_at(LOG_WARN, "cannot raise ambient capability %d: %s", cap, strerror(errno));
    }
}

/* Loads the filter when the plan says this is its stage. A notify filter's
 * descriptor goes to berth (MSG_SEND_FD "seccomp"), which passes it to the
 * listener; the stage Java chose for it keeps the socket open. */
void security_seccomp(const struct plan *p, uint32_t stage) {
    static bool loaded;
    struct attr a;
    if (loaded || !attrs_find(p->process, PR_SECCOMP, &a)) return;
    struct attrs s = attr_nested(&a);
    if (attrs_u32(s, A_STAGE, SECCOMP_AT_EXEC) != stage) return;
    struct attr prog;
    if (!attrs_find(s, A_PROGRAM, &prog) || prog.len == 0 || prog.len % sizeof(struct sock_filter))
        fail("seccomp", EINVAL, NULL, "the seccomp program is not a whole number of BPF instructions");
    struct sock_fprog fprog = {(unsigned short)(prog.len / sizeof(struct sock_filter)),
                               (struct sock_filter *)(uintptr_t)prog.data};
    unsigned long flags = attrs_u64(s, A_FLAGS, 0);
    log_debug("load seccomp filter of %u instructions, flags 0x%lx", fprog.len, flags);
    long fd = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &fprog);
    if (fd < 0) fail_errno("seccomp", NULL, "load the seccomp filter (%u instructions)", fprog.len);
    loaded = true;
    if (!(flags & SECCOMP_FILTER_FLAG_NEW_LISTENER)) return;
    if (report_fd < 0) fail("seccomp", EINVAL, NULL, "no berth to send the seccomp notify descriptor to");
    send_parent_fd("seccomp", "seccomp", (int)fd);
    close((int)fd);
}
