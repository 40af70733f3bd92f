/* What the parts of berth-init share: the plan and one entry point per part. */
#ifndef BERTH_BERTH_H
#define BERTH_BERTH_H

#include <stdbool.h>
#include <stdint.h>
#include <stdnoreturn.h>

#include "wire.h"

struct plan {
    struct attrs all; /* every top-level attribute, in order */
    uint32_t mode;
    uint32_t new_ns;
    uint32_t fifo;
    uint32_t console;       /* P_CONSOLE */
    uint32_t preserve_fds;  /* P_PRESERVE_FDS */
    const char *rootfs;
    struct attrs process;
    const char *state;       /* runtime-spec state JSON from the hooks ACK, for createContainer */
    const char *start_state; /* the same when created, for startContainer */
    unsigned umask;    /* the one berth-init was started with; ops run with 0 */
};

/* Sends a message that carries at most a pid, and waits for the parent's
 * MSG_ACK; a non-zero A_ERRNO in it fails step. Returns the ACK. */
struct attrs ask_parent(const char *step, uint16_t kind, int pid);
/* Sends MSG_SEND_FD with A_NAME name and the descriptor, and waits for the ACK. */
void send_parent_fd(const char *step, const char *name, int fd);

/* namespaces.c: joins P_JOIN_NS and, in create mode, creates P_NEW_NS.
 * Returns true when the caller must fork to be inside a PID namespace. */
bool ns_setup(const struct plan *p);

/* procfs.c: before a user namespace is entered, makes the plan's proc mount in the PID
 * namespace just joined (pid_ns names it), for op_mount to attach. */
void procfs_prepare(const struct plan *p, const char *pid_ns);
/* The prepared proc mount (-1 if none; then *failed_errno says why, 0 if not tried) and the
 * PID namespace it was tried for (NULL if none). The caller owns the descriptor. */
int procfs_take(int *failed_errno, const char **pid_ns);

/* holder.c: HELPER_HOLD, creates P_NEW_NS, reports MSG_READY, waits to be killed. */
noreturn void holder_mode(const struct plan *p);

/* ops.c: runs the OP_* attributes in order. */
void ops_run(struct plan *p);

/* rootfs.c: the operations on mounts. */
void op_prepare_root(const struct plan *p, struct attrs op);
void op_mount(struct attrs op);
void op_bind_device(struct attrs op);
void op_pivot_root(const struct plan *p);
void op_chroot(const struct plan *p);
void op_root_propagation(struct attrs op);
void op_remount_root_ro(void);
void op_mask_path(struct attrs op);
void op_readonly_path(struct attrs op);

/* hooks.c */
void op_hooks(struct plan *p);
void hooks_run(const struct plan *p, uint32_t kind);

/* security.c: one function per confining process attribute; process.c
 * calls them in runc's order. */
void security_oom_score(const struct plan *p);
void security_rlimits(struct attrs pr);
void security_no_new_privs(struct attrs pr);
void security_cpu_affinity(struct attrs pr);
void security_lsm(struct attrs pr);
void security_sched(struct attrs pr);
void security_caps_before_user(struct attrs pr);
void security_caps_after_user(struct attrs pr);
/* Loads the seccomp filter when its A_STAGE is stage (SECCOMP_AT_*). */
void security_seccomp(const struct plan *p, uint32_t stage);
/* console.c: makes the pty, sends its master to berth, makes the slave stdio and the
 * controlling terminal (the caller is a session leader). */
void console_setup(const struct plan *p);

/* process.c: applies the process attributes (cwd, user, umask) and finds
 * the executable, all before MSG_READY so that create reports a bad
 * process; process_exec does not return. */
struct process;
struct process *process_prepare(const struct plan *p);
noreturn void process_exec(const struct process *proc);

#endif
