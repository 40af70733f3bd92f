/*
 * /proc for a PID namespace that is joined before a user namespace is entered.
 *
 * proc belongs to the user namespace that owns the PID namespace of the process that mounts
 * it. A container that joins a PID namespace the host's user namespace owns and then enters a
 * user namespace of its own has no rights there, so its proc mount fails (EPERM). Before the
 * user namespace is entered, a child made in the joined PID namespace, still with berth-init's
 * credentials, makes the mount (detached, with the new mount API) and leaves its descriptor in
 * the descriptor table it shares with us; op_mount later attaches it with move_mount.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "berth.h"
#include "report.h"

#ifndef SYS_fsopen
#define SYS_fsopen 430
#define SYS_fsconfig 431
#define SYS_fsmount 432
#endif
#ifndef FSOPEN_CLOEXEC
#define FSOPEN_CLOEXEC 0x00000001
#define FSMOUNT_CLOEXEC 0x00000001
#define FSCONFIG_SET_FLAG 0
#define FSCONFIG_SET_STRING 1
#define FSCONFIG_CMD_CREATE 6
#endif
#ifndef MOUNT_ATTR_RDONLY
#define MOUNT_ATTR_RDONLY 0x00000001
#define MOUNT_ATTR_NOSUID 0x00000002
#define MOUNT_ATTR_NODEV 0x00000004
#define MOUNT_ATTR_NOEXEC 0x00000008
#define MOUNT_ATTR_NOATIME 0x00000010
#define MOUNT_ATTR_STRICTATIME 0x00000020
#define MOUNT_ATTR_NODIRATIME 0x00000080
#endif

static int prepared = -1;
static int prepare_errno;
static const char *prepared_for; /* the joined PID namespace's path, in the plan */

/* The first proc mount of the plan: the one /proc gets. */
static bool find_proc_mount(const struct plan *p, struct attrs *out) {
    struct attrs it = p->all;
    struct attr a;
    while (attr_next(&it, &a)) {
        if (a.type != OP_MOUNT) continue;
        struct attrs op = attr_nested(&a);
        const char *fstype = attrs_str(op, A_FSTYPE, "");
        if (!(attrs_u64(op, A_FLAGS, 0) & MS_BIND) && !strcmp(fstype, "proc")) {
            *out = op;
            return true;
        }
    }
    return false;
}

/* fsmount takes per-mount attributes, not the MS_* flags of mount(2). */
static unsigned mount_attrs(unsigned long flags) {
    static const struct { unsigned long ms; unsigned attr; } map[] = {
        {MS_RDONLY, MOUNT_ATTR_RDONLY},   {MS_NOSUID, MOUNT_ATTR_NOSUID},           {MS_NODEV, MOUNT_ATTR_NODEV},
        {MS_NOEXEC, MOUNT_ATTR_NOEXEC},   {MS_NOATIME, MOUNT_ATTR_NOATIME},         {MS_NODIRATIME, MOUNT_ATTR_NODIRATIME},
        {MS_STRICTATIME, MOUNT_ATTR_STRICTATIME},
    };
    unsigned attrs = 0;
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (flags & map[i].ms) attrs |= map[i].attr;
    return attrs;
}

/* "hidepid=2,subset=pid": each key=value a string, each bare key a flag. */
static int configure(int fs, const char *data) {
    char buf[PATH_MAX];
    if (strlen(data) >= sizeof buf) return -E2BIG;
    strcpy(buf, data);
    for (char *save = NULL, *opt = strtok_r(buf, ",", &save); opt; opt = strtok_r(NULL, ",", &save)) {
        char *value = strchr(opt, '=');
        if (value) *value++ = 0;
        long r = value ? syscall(SYS_fsconfig, fs, FSCONFIG_SET_STRING, opt, value, 0)
                       : syscall(SYS_fsconfig, fs, FSCONFIG_SET_FLAG, opt, NULL, 0);
        if (r < 0) return -errno;
    }
    return 0;
}

/* Runs in the child: a detached proc mount of the PID namespace it was born in. */
static int make_proc_mount(struct attrs op) {
    int fs = (int)syscall(SYS_fsopen, "proc", FSOPEN_CLOEXEC);
    if (fs < 0) return -errno;
    int r = configure(fs, attrs_str(op, A_DATA, ""));
    if (r == 0 && syscall(SYS_fsconfig, fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0) r = -errno;
    if (r == 0) {
        unsigned long flags = (unsigned long)attrs_u64(op, A_FLAGS, 0);
        r = (int)syscall(SYS_fsmount, fs, FSMOUNT_CLOEXEC, mount_attrs(flags));
        if (r < 0) r = -errno;
    }
    close(fs);
    return r;
}

void procfs_prepare(const struct plan *p, const char *pid_ns) {
    struct attrs op;
    if (!find_proc_mount(p, &op)) return;
    prepared_for = pid_ns;
    log_debug("mount proc for the PID namespace %s before entering the user namespace", pid_ns);
    /* A number the child fills through the shared table: it cannot tell us one. */
    int slot = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (slot < 0) fail_errno("namespaces", "/dev/null", "open /dev/null");
    /* Only a child is in the PID namespace setns entered; CLONE_FILES hands its mount back. */
    pid_t child = (pid_t)syscall(SYS_clone, CLONE_FILES | SIGCHLD, NULL, NULL, NULL, 0);
    if (child < 0) fail_errno("namespaces", pid_ns, "fork into the PID namespace %s", pid_ns);
    if (child == 0) {
        int mnt = make_proc_mount(op);
        if (mnt < 0) _exit(-mnt);
        int r = dup3(mnt, slot, O_CLOEXEC) < 0 ? errno : 0;
        close(mnt);
        _exit(r);
    }
    int status;
    while (waitpid(child, &status, 0) < 0)
        if (errno != EINTR) fail_errno("namespaces", pid_ns, "wait for the proc mount of %s", pid_ns);
    int err = WIFEXITED(status) ? WEXITSTATUS(status) : EINTR;
    if (err == 0) {
        prepared = slot;
        return;
    }
    /* Not fatal: the plain mount is tried later and reports both errors if it fails too. */
    close(slot);
    prepare_errno = err;
    log_debug("mount proc for the PID namespace %s: %s", pid_ns, strerror(err));
}

int procfs_take(int *failed_errno, const char **pid_ns) {
    int fd = prepared;
    prepared = -1;
    *failed_errno = prepare_errno;
    *pid_ns = prepared_for;
    return fd;
}
