#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/nsfs.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "berth.h"
#include "report.h"

#define MAX_JOINS 16

struct join {
    int fd;
    uint32_t type;
    const char *path;
    bool pending;        /* refused before the user namespace was entered */
    unsigned long owner; /* inode of its owning user namespace, 0 if unknown */
};

static const char *ns_name(uint32_t type) {
    switch (type) {
    case CLONE_NEWNS: return "mount";
    case CLONE_NEWUTS: return "uts";
    case CLONE_NEWIPC: return "ipc";
    case CLONE_NEWNET: return "network";
    case CLONE_NEWPID: return "pid";
    case CLONE_NEWCGROUP: return "cgroup";
    case CLONE_NEWTIME: return "time";
    case CLONE_NEWUSER: return "user";
    default: return "unknown";
    }
}

/* All are opened before any is joined: joining a mount or user namespace
 * changes what the later paths mean and what we may open. */
static size_t open_joins(const struct plan *p, struct join *j) {
    size_t n = 0;
    struct attrs it = p->all;
    struct attr a;
    while (attr_next(&it, &a)) {
        if (a.type != P_JOIN_NS) continue;
        if (n == MAX_JOINS) fail("namespaces", E2BIG, NULL, "more than %d namespaces to join", MAX_JOINS);
        struct attrs ns = attr_nested(&a);
        j[n].type = attrs_u32(ns, A_NSTYPE, 0);
        j[n].path = attrs_str(ns, A_PATH, "");
        j[n].pending = false;
        j[n].owner = 0;
        j[n].fd = open(j[n].path, O_RDONLY | O_CLOEXEC);
        if (j[n].fd < 0)
            fail_errno("namespaces", j[n].path, "open %s namespace %s", ns_name(j[n].type), j[n].path);
        n++;
    }
    return n;
}

/* The kernel shows a namespace's owner only to callers in that user
 * namespace or an ancestor, so this is asked before ours is entered. */
static unsigned long owner_of(int fd) {
    int owner = ioctl(fd, NS_GET_USERNS);
    struct stat st;
    unsigned long ino = owner >= 0 && fstat(owner, &st) == 0 ? (unsigned long)st.st_ino : 0;
    if (owner >= 0) close(owner);
    return ino;
}

/* Names the user namespace that owns a namespace we could not join, which is
 * what a person needs to fix the configuration. */
static noreturn void fail_owned_elsewhere(const struct join *j) {
    char owner[64] = "a user namespace berth-init cannot inspect";
    if (j->owner) snprintf(owner, sizeof owner, "user:[%lu]", j->owner);
    fail("namespaces", EPERM, j->path,
         "join %s namespace %s: %s: it is owned by %s, where the container has no rights; "
         "create it inside the container's user namespace, or join that user namespace",
         ns_name(j->type), j->path, strerror(EPERM), owner);
}

static void join(struct join *j, bool last_try) {
    log_debug("join %s namespace %s", ns_name(j->type), j->path);
    if (setns(j->fd, (int)j->type) == 0) {
        j->pending = false;
        return;
    }
    if (errno != EPERM || (last_try && j->type == CLONE_NEWUSER))
        fail_errno("namespaces", j->path, "join %s namespace %s", ns_name(j->type), j->path);
    if (last_try) fail_owned_elsewhere(j);
    log_debug("join %s namespace %s: not permitted yet, retry in the user namespace", ns_name(j->type), j->path);
    j->pending = true;
    j->owner = owner_of(j->fd);
}

static void become_root(void) {
    if (setresgid(0, 0, 0) < 0)
        fail_errno("namespaces", NULL, "switch to gid 0 in the user namespace: gid 0 is not mapped");
    if (setresuid(0, 0, 0) < 0)
        fail_errno("namespaces", NULL, "switch to uid 0 in the user namespace: uid 0 is not mapped");
    /* A change of credentials clears the dumpable flag, which would make our
     * /proc files root's and unwritable for us (timens_offsets, fd links). */
    if (prctl(PR_SET_DUMPABLE, 1, 0, 0, 0) < 0) fail_errno("namespaces", NULL, "set dumpable");
}

static void new_user_ns(void) {
    log_debug("create user namespace");
    if (unshare(CLONE_NEWUSER) < 0) fail_errno("namespaces", NULL, "create user namespace");
    /* berth opens /proc/<pid>/uid_map, which needs us dumpable. */
    if (prctl(PR_SET_DUMPABLE, 1, 0, 0, 0) < 0) fail_errno("namespaces", NULL, "set dumpable");
    ask_parent("map ids", MSG_MAP_IDS, getpid());
    become_root();
}

static void set_time_offsets(const struct plan *p) {
    char buf[512];
    size_t len = 0;
    struct attrs it = p->all;
    struct attr a;
    while (attr_next(&it, &a)) {
        if (a.type != P_TIME_OFFSET || len >= sizeof buf) continue;
        struct attrs t = attr_nested(&a);
        int n = snprintf(buf + len, sizeof buf - len, "%u %lld %u\n", attrs_u32(t, A_CLOCK, 0),
                         (long long)attrs_u64(t, A_OFFSET_SEC, 0), attrs_u32(t, A_OFFSET_NSEC, 0));
        if (n > 0) len += (size_t)n;
    }
    if (len == 0) return;
    if (len >= sizeof buf) fail("namespaces", E2BIG, NULL, "too many time offsets");
    log_debug("set time offsets: %.*s", (int)len - 1, buf);
    int fd = open("/proc/self/timens_offsets", O_WRONLY | O_CLOEXEC);
    if (fd < 0 || write(fd, buf, len) != (ssize_t)len)
        fail_errno("namespaces", "/proc/self/timens_offsets", "write time namespace offsets");
    close(fd);
}

static void unshare_rest(uint32_t flags) {
    if (!flags) return;
    log_debug("create namespaces 0x%x", flags);
    if (unshare((int)flags) < 0) fail_errno("namespaces", NULL, "create namespaces (unshare 0x%x)", flags);
}

/* setns(pidfd) enters every namespace of the init at once, checked as one step against the
 * init's user namespace, so no order problem arises; kernels before 5.8 refuse it (EINVAL)
 * and the ordered joins below do the work. */
static bool join_by_pidfd(const struct plan *p, const struct join *j, size_t n) {
    if (!attrs_u32(p->all, P_JOIN_PIDFD, 0)) return false;
    uint32_t flags = 0;
    for (size_t i = 0; i < n; i++) flags |= j[i].type;
    if (!flags) return true;
    log_debug("join namespaces 0x%x of the init through its pidfd", flags);
    if (setns(BERTH_FD_PIDFD, (int)flags) < 0) {
        log_debug("join through the pidfd: %s; joining one by one", strerror(errno));
        return false;
    }
    if (flags & CLONE_NEWUSER) become_root();
    return true;
}

/* Order matters (design.md, "Joining namespaces by path"): a namespace made
 * by the host's root can be joined only before we enter a user namespace,
 * one made inside the container's user namespace only after. */
bool ns_setup(const struct plan *p) {
    struct join j[MAX_JOINS];
    size_t n = open_joins(p, j);
    struct join *user = NULL;
    bool pid = p->mode == HELPER_CREATE && (p->new_ns & CLONE_NEWPID);
    if (p->mode == HELPER_EXEC && join_by_pidfd(p, j, n)) {
        for (size_t i = 0; i < n; i++) {
            pid |= j[i].type == CLONE_NEWPID;
            close(j[i].fd);
        }
        return pid;
    }
    const struct join *pid_joined = NULL;
    for (size_t i = 0; i < n; i++) {
        pid |= j[i].type == CLONE_NEWPID;
        if (j[i].type == CLONE_NEWUSER) user = &j[i];
        else join(&j[i], false);
        if (j[i].type == CLONE_NEWPID && !j[i].pending) pid_joined = &j[i];
    }
    bool enters_user = user || (p->mode != HELPER_EXEC && (p->new_ns & CLONE_NEWUSER));
    if (pid_joined && enters_user && p->mode == HELPER_CREATE) procfs_prepare(p, pid_joined->path);
    if (user) {
        join(user, true);
        become_root();
    } else if (p->mode != HELPER_EXEC && (p->new_ns & CLONE_NEWUSER)) {
        new_user_ns();
    }
    for (size_t i = 0; i < n; i++)
        if (j[i].pending) join(&j[i], true);
    for (size_t i = 0; i < n; i++) close(j[i].fd);
    if (p->mode != HELPER_EXEC) {
        unshare_rest(p->new_ns & ~(uint32_t)CLONE_NEWUSER);
        set_time_offsets(p);
    }
    return pid;
}
