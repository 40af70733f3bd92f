#define _GNU_SOURCE
#include "paths.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "report.h"

/* Each step creates one component or follows one dangling symlink; a plan
 * target never needs more, a symlink cycle does. */
#define MAX_STEPS 1024

static const char *root_path;
static int root_fd = -1;

void paths_set_root(const char *root) {
    if (root_fd >= 0) close(root_fd);
    root_fd = -1;
    root_path = root;
}

static int root(const char *step) {
    if (root_fd < 0) {
        root_fd = open(root_path, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (root_fd < 0) fail_errno(step, root_path, "open the root file system %s", root_path);
    }
    return root_fd;
}

static int open_in_root(const char *step, const char *path) {
    struct open_how how = {
        .flags = O_PATH | O_CLOEXEC,
        .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
    };
    return (int)syscall(SYS_openat2, root(step), *path ? path : ".", &how, sizeof how);
}

static int create_one(int parent, const char *name, bool file) {
    if (!file) return mkdirat(parent, name, 0755);
    int fd = openat(parent, name, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd < 0) return -1;
    close(fd);
    return 0;
}

/* A component that does not resolve but cannot be created is a symlink to
 * something missing: continue with its text in place of the component, so
 * the target is created where the link points, still inside the root. */
static int follow_dangling(int parent, char *path, char *name, const char *rest) {
    char link[PATH_MAX], next[PATH_MAX];
    ssize_t n = readlinkat(parent, name, link, sizeof link - 1);
    if (n < 0) return errno == EINVAL ? (errno = EEXIST, -1) : -1;
    link[n] = 0;
    *name = 0;
    int len = snprintf(next, sizeof next, "%s%s%s%s", link[0] == '/' ? "" : path, link, *rest ? "/" : "", rest);
    if (len < 0 || (size_t)len >= sizeof next) return errno = ENAMETOOLONG, -1;
    memcpy(path, next, (size_t)len + 1);
    return 0;
}

/* Makes progress towards path existing: creates its first missing component,
 * or rewrites path through a dangling symlink. */
static int create_first_missing(const char *step, char *path, bool file) {
    int parent = open_in_root(step, "/");
    for (char *s = path;;) {
        s += strspn(s, "/");
        if (parent < 0 || !*s) break;
        char *e = s + strcspn(s, "/"), saved = *e;
        *e = 0;
        int fd = open_in_root(step, path);
        if (fd >= 0) {
            *e = saved;
            close(parent);
            parent = fd;
            s = e;
            continue;
        }
        const char *rest = saved ? e + 1 + strspn(e + 1, "/") : e;
        int r = errno == ENOENT ? create_one(parent, s, file && !*rest) : -1;
        if (r < 0 && errno == EEXIST) r = follow_dangling(parent, path, s, rest);
        else *e = saved;
        int err = errno;
        close(parent);
        errno = err;
        return r;
    }
    /* Everything exists now (another process raced us) or the root is gone. */
    if (parent >= 0) close(parent);
    return parent < 0 ? -1 : 0;
}

int resolve(const char *step, const char *what, const char *target, enum how how) {
    char path[PATH_MAX];
    if (strlen(target) >= sizeof path) fail(step, ENAMETOOLONG, target, "%s: path too long", what);
    strcpy(path, target);
    for (int steps = 0; steps < MAX_STEPS; steps++) {
        int fd = open_in_root(step, path);
        if (fd >= 0) return fd;
        if (errno == ENOENT && how == MAY_BE_MISSING) return -1;
        if (errno != ENOENT || how == MUST_EXIST) fail_errno(step, target, "%s: open %s", what, target);
        if (create_first_missing(step, path, how == CREATE_FILE) < 0)
            fail_errno(step, target, "%s: create %s", what, target);
    }
    fail(step, ELOOP, target, "%s: create %s: %s", what, target, strerror(ELOOP));
}

int resolve_parent(const char *step, const char *what, const char *target, const char **name) {
    static char dir[PATH_MAX], base[NAME_MAX + 1];
    size_t n = strlen(target);
    while (n > 1 && target[n - 1] == '/') n--;
    size_t slash = n;
    while (slash > 0 && target[slash - 1] != '/') slash--;
    size_t blen = n - slash;
    if (blen == 0 || blen > NAME_MAX || (blen == 1 && target[slash] == '.') ||
        (blen == 2 && !strncmp(target + slash, "..", 2)))
        fail(step, EINVAL, target, "%s: %s does not name a file", what, target);
    memcpy(base, target + slash, blen);
    base[blen] = 0;
    memcpy(dir, target, slash);
    dir[slash] = 0;
    *name = base;
    return resolve(step, what, dir, CREATE_DIR);
}

struct fd_path fd_path(int fd) {
    struct fd_path p;
    snprintf(p.s, sizeof p.s, "/proc/self/fd/%d", fd);
    return p;
}
