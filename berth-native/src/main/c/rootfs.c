#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "berth.h"
#include "paths.h"
#include "report.h"

#ifndef MOUNT_ATTR_SIZE_VER0
struct mount_attr {
    uint64_t attr_set;
    uint64_t attr_clr;
    uint64_t propagation;
    uint64_t userns_fd;
};
#endif
#ifndef SYS_mount_setattr
#define SYS_mount_setattr 442
#endif
#ifndef SYS_move_mount
#define SYS_move_mount 429
#endif
#ifndef MOVE_MOUNT_F_EMPTY_PATH
#define MOVE_MOUNT_F_EMPTY_PATH 0x00000004
#endif
#ifndef MOVE_MOUNT_T_EMPTY_PATH
#define MOVE_MOUNT_T_EMPTY_PATH 0x00000040
#endif

/* Attaches a detached mount (open_tree or fsmount) on the target. */
static int attach_tree(int tree, int target_fd) {
    if (tree < 0) {
        errno = EBADF;
        return -1;
    }
    int r = (int)syscall(SYS_move_mount, tree, "", target_fd, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH);
    int saved = errno;
    close(tree);
    errno = saved;
    return r;
}

/* Attaches the idmapped tree berth made (open_tree + MOUNT_ATTR_IDMAP, sent with the MAP_IDS
 * ACK) on the target, in place of a bind: only berth, in the host's user namespace, may map
 * a host file system's ids. A container without a user namespace of its own never asked for
 * maps; its trees (mounts with mappings of their own) are asked for at the first attach. */
static int attach_idmapped(uint32_t index, int target_fd) {
    static bool asked;
    if (wire_received_fd(index) < 0 && !asked) {
        asked = true;
        ask_parent("idmapped mounts", MSG_MAP_IDS, -1);
    }
    return attach_tree(wire_received_fd(index), target_fd);
}

/* proc for a joined PID namespace, mounted before the user namespace was entered (procfs.c);
 * without one, the plain mount. */
static int mount_proc(const char *source, int target_fd, unsigned long flags, const char *data, const char *target) {
    int failed = 0;
    const char *pid_ns = NULL;
    int tree = procfs_take(&failed, &pid_ns);
    if (tree >= 0) {
        log_debug("attach the proc mount made in the joined PID namespace %s on %s", pid_ns, target);
        return attach_tree(tree, target_fd);
    }
    int r = mount(source, fd_path(target_fd).s, "proc", flags, data);
    if (r < 0 && failed) {
        int err = errno;
        bool options = data && *data;
        fail("mount", err, target,
             "mount proc on %s: %s; made in the joined PID namespace %s before entering the user namespace, "
             "it failed too: %s; %s%s%s",
             target, strerror(err), pid_ns, strerror(failed),
             failed == EPERM ? "proc needs rights in the user namespace that owns that PID namespace: join it "
                               "as well, or let the container create its PID namespace"
                             : "check the mount's options",
             options ? " " : "", options ? data : "");
    }
    return r;
}

#define ATIME_FLAGS (MS_NOATIME | MS_NODIRATIME | MS_RELATIME | MS_STRICTATIME)
/* The flags a bind remount may be refused to clear in a user namespace. */
#define LOCKABLE_FLAGS (MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC)
/* mount(2) treats any of these as a propagation change and ignores the rest
 * of the call; propagation travels in A_PROPAGATION instead. */
#define PROPAGATION_FLAGS (MS_SHARED | MS_PRIVATE | MS_SLAVE | MS_UNBINDABLE)

/* statvfs reports ST_* flags; mount(2) wants MS_*, which differ for relatime. */
static unsigned long mount_flags(int fd, const char *path) {
    static const struct { unsigned long st, ms; } map[] = {
        {ST_RDONLY, MS_RDONLY},       {ST_NOSUID, MS_NOSUID},       {ST_NODEV, MS_NODEV},
        {ST_NOEXEC, MS_NOEXEC},       {ST_SYNCHRONOUS, MS_SYNCHRONOUS}, {ST_MANDLOCK, MS_MANDLOCK},
        {ST_NOATIME, MS_NOATIME},     {ST_NODIRATIME, MS_NODIRATIME}, {ST_RELATIME, MS_RELATIME},
    };
    struct statvfs st;
    if ((fd >= 0 ? fstatvfs(fd, &st) : statvfs(path, &st)) < 0) return 0;
    unsigned long flags = 0;
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (st.f_flag & map[i].st) flags |= map[i].ms;
    return flags;
}

/* A bind remount sets per-mount flags. In a user namespace the kernel will
 * not clear flags locked by the mount's creator: keep those and retry. */
static int remount(int fd, unsigned long flags) {
    struct fd_path path = fd_path(fd);
    flags |= MS_BIND | MS_REMOUNT;
    if (mount(NULL, path.s, NULL, flags, NULL) == 0) return 0;
    if (errno != EPERM) return -1;
    unsigned long now = mount_flags(fd, NULL), keep = now & LOCKABLE_FLAGS;
    if (!(flags & ATIME_FLAGS)) keep |= now & ATIME_FLAGS;
    if ((flags | keep) == flags) return errno = EPERM, -1;
    log_debug("remount %s: keep the locked flags 0x%lx", path.s, keep);
    return mount(NULL, path.s, NULL, flags | keep, NULL);
}

static void set_propagation(const char *step, const char *target, int fd, uint64_t propagation) {
    if (!propagation) return;
    if (mount(NULL, fd_path(fd).s, NULL, (unsigned long)propagation, NULL) < 0)
        fail_errno(step, target, "set propagation 0x%llx of %s", (unsigned long long)propagation, target);
}

static void set_attrs(const char *target, int fd, uint64_t set, uint64_t clr) {
    if (!set && !clr) return;
    struct mount_attr attr = {.attr_set = set, .attr_clr = clr};
    if (syscall(SYS_mount_setattr, fd, "", AT_EMPTY_PATH | AT_RECURSIVE, &attr, sizeof attr) < 0)
        fail_errno("mount", target, "set mount attributes of %s (set 0x%llx, clear 0x%llx)", target,
                   (unsigned long long)set, (unsigned long long)clr);
}

static bool skip_missing(struct attrs op, const char *what) {
    if (errno != ENOENT || !attrs_u32(op, A_OPTIONAL, 0)) return false;
    log_debug("%s: missing, skipped", what);
    return true;
}

/* The path of the descriptor a mount was made on still names the mount
 * below; what comes after (remount, propagation, attributes) must be done on
 * the new mount, so the target is looked up again. */
static void finish_mount(struct attrs op, const char *what, const char *target, unsigned long flags) {
    uint64_t propagation = attrs_u64(op, A_PROPAGATION, 0);
    uint64_t set = attrs_u64(op, A_ATTR_SET, 0), clr = attrs_u64(op, A_ATTR_CLR, 0);
    bool bind_flags = (flags & MS_BIND) && (flags & ~(unsigned long)(MS_BIND | MS_REC));
    if (!bind_flags && !propagation && !set && !clr) return;
    int fd = resolve("mount", what, target, MUST_EXIST);
    if (bind_flags && remount(fd, flags & ~(unsigned long)MS_REC) < 0)
        fail_errno("mount", target, "%s: remount with flags 0x%lx", what, flags);
    set_propagation("mount", target, fd, propagation);
    set_attrs(target, fd, set, clr);
    close(fd);
}

void op_mount(struct attrs op) {
    const char *source = attrs_str(op, A_SOURCE, "none"), *target = attrs_str(op, A_TARGET, "");
    const char *fstype = attrs_str(op, A_FSTYPE, NULL), *data = attrs_str(op, A_DATA, NULL);
    unsigned long flags = (unsigned long)attrs_u64(op, A_FLAGS, 0) & ~(unsigned long)PROPAGATION_FLAGS;
    bool bind = flags & MS_BIND;
    char what[PATH_MAX * 2 + 16];
    snprintf(what, sizeof what, "mount %s on %s", source, target);
    log_debug("%s (%s)", what, bind ? "bind" : fstype ? fstype : "no type");
    enum how how = attrs_u32(op, A_KIND, TARGET_DIR) == TARGET_FILE ? CREATE_FILE : CREATE_DIR;
    int fd = resolve("mount", what, target, how);
    struct attr idmap;
    bool proc = !bind && fstype && !strcmp(fstype, "proc");
    int r = bind && attrs_find(op, A_IDMAP, &idmap) ? attach_idmapped(attr_u32(&idmap), fd)
            : bind ? mount(source, fd_path(fd).s, NULL, MS_BIND | (flags & MS_REC), NULL)
            : proc ? mount_proc(source, fd, flags, data, target)
                   : mount(source, fd_path(fd).s, fstype, flags, data);
    close(fd);
    if (r < 0 && skip_missing(op, what)) return;
    if (r < 0) fail_errno("mount", target, "%s", what);
    finish_mount(op, what, target, flags);
}

void op_bind_device(struct attrs op) {
    const char *source = attrs_str(op, A_SOURCE, ""), *target = attrs_str(op, A_TARGET, "");
    char what[PATH_MAX * 2 + 16];
    snprintf(what, sizeof what, "bind device %s on %s", source, target);
    log_debug("%s", what);
    int fd = resolve("bind device", what, target, CREATE_FILE);
    int r = mount(source, fd_path(fd).s, NULL, MS_BIND, NULL);
    close(fd);
    if (r < 0 && !skip_missing(op, what)) fail_errno("bind device", target, "%s", what);
}

/* mountinfo escapes space, tab, newline and backslash as \ooo. */
static void unescape(char *s) {
    char *out = s;
    for (; *s; out++) {
        bool octal = s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' && s[2] <= '7' && s[3] >= '0' &&
                     s[3] <= '7';
        *out = octal ? (char)((s[1] - '0') << 6 | (s[2] - '0') << 3 | (s[3] - '0')) : *s;
        s += octal ? 4 : 1;
    }
    *out = 0;
}

/* The mount point of mount id if it is shared, else "". */
static void shared_mount_point(uint64_t id, char *point) {
    FILE *f = fopen("/proc/self/mountinfo", "re");
    if (!f) fail_errno("prepare root", "/proc/self/mountinfo", "open /proc/self/mountinfo");
    char line[PATH_MAX * 2 + 512];
    unsigned long long found;
    int end = 0;
    point[0] = 0;
    while (fgets(line, sizeof line, f)) {
        if (sscanf(line, "%llu %*u %*s %*s %4095s %*s%n", &found, point, &end) < 2 || found != id) continue;
        /* Optional fields ("shared:N master:M") run up to " - ". */
        char *dash = strstr(line + end, " - ");
        if (dash) *dash = 0;
        if (!strstr(line + end, " shared:")) point[0] = 0;
        unescape(point);
        fclose(f);
        return;
    }
    point[0] = 0;
    fclose(f);
}

/* pivot_root refuses a new root whose parent mount is shared. */
static void make_parent_private(const char *rootfs) {
    char parent[PATH_MAX + 4], point[PATH_MAX];
    snprintf(parent, sizeof parent, "%s/..", rootfs);
    struct statx stx;
    if (statx(AT_FDCWD, parent, 0, STATX_MNT_ID, &stx) < 0) fail_errno("prepare root", parent, "stat %s", parent);
    shared_mount_point(stx.stx_mnt_id, point);
    if (!point[0]) return;
    log_debug("make the mount %s private: it holds %s", point, rootfs);
    if (mount(NULL, point, NULL, MS_PRIVATE, NULL) < 0) fail_errno("prepare root", point, "make %s private", point);
}

void op_prepare_root(const struct plan *p, struct attrs op) {
    uint64_t propagation = attrs_u64(op, A_PROPAGATION, 0);
    log_debug("prepare root %s (propagation of / 0x%llx)", p->rootfs, (unsigned long long)propagation);
    if (propagation && mount(NULL, "/", NULL, (unsigned long)propagation, NULL) < 0)
        fail_errno("prepare root", "/", "set propagation 0x%llx of /", (unsigned long long)propagation);
    /* Before the bind, so that it cannot propagate to the host. */
    make_parent_private(p->rootfs);
    /* pivot_root needs the new root to be a mount point. */
    if (mount(p->rootfs, p->rootfs, NULL, MS_BIND | MS_REC, NULL) < 0)
        fail_errno("prepare root", p->rootfs, "bind %s onto itself", p->rootfs);
    struct attr idmap;
    if (attrs_find(op, A_IDMAP, &idmap)) {
        log_debug("attach the idmapped root file system");
        int fd = open(p->rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0 || attach_idmapped(attr_u32(&idmap), fd) < 0)
            fail_errno("prepare root", p->rootfs, "attach the idmapped %s", p->rootfs);
        close(fd);
    }
    paths_set_root(p->rootfs);
}

void op_pivot_root(const struct plan *p) {
    log_debug("pivot_root to %s", p->rootfs);
    int old = open("/", O_DIRECTORY | O_RDONLY | O_CLOEXEC);
    if (old < 0) fail_errno("pivot_root", "/", "open /");
    if (chdir(p->rootfs) < 0) fail_errno("pivot_root", p->rootfs, "chdir to %s", p->rootfs);
    /* new and old root on the same directory: the old one is stacked on top
     * and can be detached without needing a directory for it in the image. */
    if (syscall(SYS_pivot_root, ".", ".") < 0) fail_errno("pivot_root", p->rootfs, "pivot_root to %s", p->rootfs);
    if (fchdir(old) < 0) fail_errno("pivot_root", "/", "chdir to the old root");
    /* Slave first, so that the detach does not propagate to the host. */
    if (mount(NULL, ".", NULL, MS_SLAVE | MS_REC, NULL) < 0)
        fail_errno("pivot_root", "/", "make the old root a slave");
    if (umount2(".", MNT_DETACH) < 0) fail_errno("pivot_root", "/", "detach the old root");
    close(old);
    if (chdir("/") < 0) fail_errno("pivot_root", "/", "chdir to /");
    paths_set_root("/");
}

void op_chroot(const struct plan *p) {
    log_debug("move %s to / and chroot", p->rootfs);
    if (chdir(p->rootfs) < 0) fail_errno("chroot", p->rootfs, "chdir to %s", p->rootfs);
    if (mount(p->rootfs, "/", NULL, MS_MOVE, NULL) < 0) fail_errno("chroot", p->rootfs, "move %s to /", p->rootfs);
    if (chroot(".") < 0) fail_errno("chroot", p->rootfs, "chroot to %s", p->rootfs);
    if (chdir("/") < 0) fail_errno("chroot", "/", "chdir to /");
    paths_set_root("/");
}

void op_root_propagation(struct attrs op) {
    uint64_t propagation = attrs_u64(op, A_PROPAGATION, 0);
    log_debug("set propagation 0x%llx of /", (unsigned long long)propagation);
    if (mount(NULL, "/", NULL, (unsigned long)propagation, NULL) < 0)
        fail_errno("root propagation", "/", "set propagation 0x%llx of /", (unsigned long long)propagation);
}

void op_remount_root_ro(void) {
    log_debug("remount / read-only");
    unsigned long flags = MS_BIND | MS_REMOUNT | MS_RDONLY | mount_flags(-1, "/");
    if (mount(NULL, "/", NULL, flags, NULL) < 0) fail_errno("remount root ro", "/", "remount / read-only");
}

void op_mask_path(struct attrs op) {
    const char *target = attrs_str(op, A_TARGET, "");
    char what[PATH_MAX + 16];
    snprintf(what, sizeof what, "mask %s", target);
    int fd = resolve("mask path", what, target, MAY_BE_MISSING);
    if (fd < 0) return;
    struct stat st;
    if (fstat(fd, &st) < 0) fail_errno("mask path", target, "%s: stat", what);
    bool dir = S_ISDIR(st.st_mode);
    log_debug("%s with %s", what, dir ? "a read-only tmpfs" : "/dev/null");
    int r = dir ? mount("tmpfs", fd_path(fd).s, "tmpfs", MS_RDONLY, NULL)
                : mount("/dev/null", fd_path(fd).s, NULL, MS_BIND, NULL);
    close(fd);
    if (r < 0) fail_errno("mask path", target, "%s", what);
}

void op_readonly_path(struct attrs op) {
    const char *target = attrs_str(op, A_TARGET, "");
    char what[PATH_MAX + 32];
    snprintf(what, sizeof what, "make %s read-only", target);
    int fd = resolve("readonly path", what, target, MAY_BE_MISSING);
    if (fd < 0) return;
    log_debug("%s", what);
    struct fd_path path = fd_path(fd);
    int r = mount(path.s, path.s, NULL, MS_BIND | MS_REC, NULL);
    close(fd);
    if (r < 0) fail_errno("readonly path", target, "%s: bind onto itself", what);
    fd = resolve("readonly path", what, target, MUST_EXIST);
    if (remount(fd, MS_RDONLY | MS_REC | mount_flags(fd, NULL)) < 0)
        fail_errno("readonly path", target, "%s: remount", what);
    close(fd);
}
