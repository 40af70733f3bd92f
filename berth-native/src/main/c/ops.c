#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "berth.h"
#include "paths.h"
#include "report.h"

static void op_mknod(struct attrs op) {
    const char *target = attrs_str(op, A_TARGET, "");
    mode_t mode = attrs_u32(op, A_MODE, 0);
    dev_t dev = makedev(attrs_u32(op, A_MAJOR, 0), attrs_u32(op, A_MINOR, 0));
    uid_t uid = attrs_u32(op, A_UID, 0);
    gid_t gid = attrs_u32(op, A_GID, 0);
    char what[PATH_MAX + 16];
    snprintf(what, sizeof what, "mknod %s", target);
    log_debug("%s (mode 0%o, %u:%u, owner %u:%u)", what, (unsigned)mode, major(dev), minor(dev), uid, gid);
    const char *name;
    int dir = resolve_parent("mknod", what, target, &name);
    if (mknodat(dir, name, mode, dev) < 0) {
        /* Whatever the image has there is replaced by the device asked for. */
        if (errno != EEXIST || unlinkat(dir, name, 0) < 0 || mknodat(dir, name, mode, dev) < 0)
            fail_errno("mknod", target, "%s", what);
    }
    if (fchmodat(dir, name, mode & 07777, 0) < 0) fail_errno("mknod", target, "%s: chmod 0%o", what, mode & 07777);
    if (fchownat(dir, name, uid, gid, AT_SYMLINK_NOFOLLOW) < 0)
        fail_errno("mknod", target, "%s: chown %u:%u", what, uid, gid);
    close(dir);
}

static void op_symlink(struct attrs op) {
    const char *text = attrs_str(op, A_SOURCE, ""), *target = attrs_str(op, A_TARGET, "");
    char what[PATH_MAX * 2 + 16];
    snprintf(what, sizeof what, "symlink %s -> %s", target, text);
    log_debug("%s", what);
    const char *name;
    int dir = resolve_parent("symlink", what, target, &name);
    if (symlinkat(text, dir, name) < 0 && errno != EEXIST) fail_errno("symlink", target, "%s", what);
    close(dir);
}

static void op_sysctl(struct attrs op) {
    const char *name = attrs_str(op, A_NAME, ""), *value = attrs_str(op, A_VALUE, "");
    char path[PATH_MAX];
    int n = snprintf(path, sizeof path, "/proc/sys/%s", name);
    if (n < 0 || (size_t)n >= sizeof path) fail("sysctl", ENAMETOOLONG, name, "sysctl %s: name too long", name);
    /* sysctl(8)'s convention: dots separate, and a slash stands for a dot within a name
     * ("net.ipv4.conf.eth0/100.forwarding"). A slash-made dot must not form a "." or ".." part. */
    char *rel = path + strlen("/proc/sys/");
    for (char *c = rel; *c; c++)
        *c = *c == '.' ? '/' : *c == '/' ? '.' : *c;
    for (char *part = rel; part;) {
        size_t len = strcspn(part, "/");
        if (len == 0 || (len == 1 && part[0] == '.') || (len == 2 && !strncmp(part, "..", 2)))
            fail("sysctl", EINVAL, name, "sysctl %s: invalid name", name);
        part = part[len] ? part + len + 1 : NULL;
    }
    log_debug("sysctl %s=%s", name, value);
    int fd = open(path, O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) fail_errno("sysctl", path, "sysctl %s=%s: open %s", name, value, path);
    size_t len = strlen(value);
    if (write(fd, value, len) != (ssize_t)len) fail_errno("sysctl", path, "sysctl %s=%s: write %s", name, value, path);
    close(fd);
}

static void op_hostname(struct attrs op) {
    const char *name = attrs_str(op, A_VALUE, "");
    log_debug("set hostname %s", name);
    if (sethostname(name, strlen(name)) < 0) fail_errno("hostname", NULL, "set hostname %s", name);
}

static void op_domainname(struct attrs op) {
    const char *name = attrs_str(op, A_VALUE, "");
    log_debug("set domainname %s", name);
    if (setdomainname(name, strlen(name)) < 0) fail_errno("domainname", NULL, "set domainname %s", name);
}

void ops_run(struct plan *p) {
    struct attrs it = p->all;
    struct attr a;
    while (attr_next(&it, &a)) {
        struct attrs op = attr_nested(&a);
        switch (a.type) {
        case OP_PREPARE_ROOT: op_prepare_root(p, op); break;
        case OP_MOUNT: op_mount(op); break;
        case OP_MKNOD: op_mknod(op); break;
        case OP_BIND_DEVICE: op_bind_device(op); break;
        case OP_SYMLINK: op_symlink(op); break;
        case OP_HOOKS: op_hooks(p); break;
        case OP_PIVOT_ROOT: op_pivot_root(p); break;
        case OP_CHROOT: op_chroot(p); break;
        case OP_ROOT_PROPAGATION: op_root_propagation(op); break;
        case OP_REMOUNT_ROOT_RO: op_remount_root_ro(); break;
        case OP_MASK_PATH: op_mask_path(op); break;
        case OP_READONLY_PATH: op_readonly_path(op); break;
        case OP_SYSCTL: op_sysctl(op); break;
        case OP_HOSTNAME: op_hostname(op); break;
        case OP_DOMAINNAME: op_domainname(op); break;
        default: break; /* stage settings, not operations */
        }
    }
}
