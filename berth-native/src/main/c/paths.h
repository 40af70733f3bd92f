/* Resolving plan targets inside the root file system without ever leaving it. */
#ifndef BERTH_PATHS_H
#define BERTH_PATHS_H

enum how {
    MUST_EXIST,     /* fail when missing */
    MAY_BE_MISSING, /* return -1 with errno ENOENT when missing */
    CREATE_DIR,     /* create missing components as directories (0755) */
    CREATE_FILE,    /* ... and the last one as an empty regular file (0644) */
};

/* Sets the directory targets are resolved in: P_ROOTFS before the pivot,
 * "/" after. It is opened on first use, so that it is the mount on top. */
void paths_set_root(const char *root);

/* An O_PATH descriptor of target, resolved with RESOLVE_IN_ROOT. On failure
 * reports step with "<what>: <detail>". */
int resolve(const char *step, const char *what, const char *target, enum how how);

/* An O_PATH descriptor of the directory that holds target (created as
 * needed) and, in *name, its last component. */
int resolve_parent(const char *step, const char *what, const char *target, const char **name);

/* "/proc/self/fd/N": how mount(2), which takes paths, is pointed at a
 * resolved descriptor. */
struct fd_path {
    char s[32];
};
struct fd_path fd_path(int fd);

#endif
