#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "berth.h"
#include "report.h"

/* What runc and a login shell use when the environment has no PATH. */
#define DEFAULT_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

struct process {
    const struct plan *plan;
    char *file;
    char **argv;
    char **envp;
    uint32_t preserve_fds;
};

/* The messages are runc's (Go's exec.LookPath), which scripts match on. */
static void check_executable(const char *file) {
    struct stat st;
    if (stat(file, &st) < 0) fail_errno("exec", file, "exec: \"%s\": stat %s", file, file);
    if (S_ISDIR(st.st_mode) || !(st.st_mode & 0111))
        fail("exec", EACCES, file, "exec: \"%s\": permission denied", file);
}

static bool executable_at(const char *file) {
    struct stat st;
    return stat(file, &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 0111);
}

static const char *env_path(char **envp) {
    for (; *envp; envp++)
        if (!strncmp(*envp, "PATH=", 5)) return *envp + 5;
    return DEFAULT_PATH;
}

static char *find_in_path(const char *name, const char *path) {
    static char file[PATH_MAX];
    for (const char *dir = path;; dir++) {
        size_t len = strcspn(dir, ":");
        /* An empty entry means the current directory, as for a shell. */
        int n = len ? snprintf(file, sizeof file, "%.*s/%s", (int)len, dir, name)
                    : snprintf(file, sizeof file, "./%s", name);
        if (n > 0 && (size_t)n < sizeof file && executable_at(file)) return file;
        dir += len;
        if (!*dir) break;
    }
    fail("exec", ENOENT, name, "exec: \"%s\": executable file not found in $PATH", name);
}

static char *find_executable(struct attrs pr, char **argv, char **envp) {
    const char *given = attrs_str(pr, PR_EXECUTABLE, NULL);
    if (!given && strchr(argv[0], '/')) given = argv[0];
    if (!given) return find_in_path(argv[0], env_path(envp));
    check_executable(given);
    return (char *)given;
}

/* Without groups we would keep berth's; a rootless user namespace where
 * setgroups is denied has none to keep. */
static bool setgroups_denied(void) {
    char buf[16] = "";
    int fd = open("/proc/self/setgroups", O_RDONLY | O_CLOEXEC);
    ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof buf - 1);
    if (fd >= 0) close(fd);
    return n > 0 && !strncmp(buf, "deny", 4);
}

static void switch_user(struct attrs pr) {
    uid_t uid = attrs_u32(pr, PR_UID, 0);
    gid_t gid = attrs_u32(pr, PR_GID, 0);
    size_t n = attrs_count(pr, PR_ADDITIONAL_GID);
    gid_t *groups = calloc(n + 1, sizeof *groups);
    if (!groups) fail("process", ENOMEM, NULL, "out of memory");
    struct attrs it = pr;
    struct attr a;
    for (size_t i = 0; attr_next(&it, &a);)
        if (a.type == PR_ADDITIONAL_GID) groups[i++] = attr_u32(&a);
    log_debug("user %u:%u, %zu additional groups", uid, gid, n);
    if (setgroups(n, groups) < 0 && !(errno == EPERM && n == 0 && setgroups_denied()))
        fail_errno("process", NULL, "set %zu additional groups", n);
    if (setresgid(gid, gid, gid) < 0) fail_errno("process", NULL, "set gid %u", gid);
    if (setresuid(uid, uid, uid) < 0) fail_errno("process", NULL, "set uid %u", uid);
    free(groups);
}

static bool env_has(char **envp, const char *name) {
    size_t len = strlen(name);
    for (; *envp; envp++)
        if (!strncmp(*envp, name, len) && (*envp)[len] == '=') return true;
    return false;
}

/* The home directory of uid in the container's /etc/passwd, "/" when it has none: what runc
 * puts in HOME when the config leaves it out, and what programs started without a login expect. */
static void home_of(uid_t uid, char *home, size_t size) {
    snprintf(home, size, "/");
    FILE *f = fopen("/etc/passwd", "re");
    if (!f) return;
    char line[1024];
    while (fgets(line, sizeof line, f)) {
        char *fields[7] = {0};
        char *s = line;
        int n = 0;
        for (; n < 7 && s; n++) {
            fields[n] = s;
            s = strchr(s, ':');
            if (s) *s++ = 0;
        }
        if (n < 6 || !fields[2][0]) continue;
        char *end;
        unsigned long id = strtoul(fields[2], &end, 10);
        if (*end || id != uid) continue;
        fields[5][strcspn(fields[5], "\n")] = 0;
        if (fields[5][0]) snprintf(home, size, "%s", fields[5]);
        break;
    }
    fclose(f);
}

static char **with_home(char **envp, uid_t uid) {
    if (env_has(envp, "HOME")) return envp;
    size_t n = 0;
    while (envp[n]) n++;
    char **out = calloc(n + 2, sizeof *out);
    char home[PATH_MAX];
    home_of(uid, home, sizeof home);
    if (!out || asprintf(&out[n], "HOME=%s", home) < 0) fail("process", ENOMEM, NULL, "out of memory");
    memcpy(out, envp, n * sizeof *out);
    return out;
}

/* runc makes a missing cwd (mode 0755) rather than fail; after pivot_root no path can leave the
 * root. Errors are left for chdir to report. */
static void make_cwd(const char *cwd) {
    char path[PATH_MAX];
    if (snprintf(path, sizeof path, "%s", cwd) >= (int)sizeof path) return;
    for (char *s = path + 1;; s++) {
        if (*s == '/' || !*s) {
            char c = *s;
            *s = 0;
            if (mkdir(path, 0755) < 0 && errno != EEXIST) return;
            *s = c;
            if (!c) return;
        }
    }
}

/*
 * The order is runc's (standard_init_linux.go, finalizeNamespace), and each
 * step is where it is for a reason:
 *  0. CPU affinity (exec only): the process's CPUs before anything else runs.
 *  1. rlimits, while we are still root: a hard limit may only be lowered after.
 *  2. no_new_privs, before any seccomp filter: with it, loading a filter needs
 *     no privilege, so the filter can wait until the very end. Then scheduler,
 *     I/O priority and personality (a real-time policy needs CAP_SYS_NICE), and
 *     the AppArmor/SELinux exec label (runc sets both before the user switch).
 *  3. seccomp at SECCOMP_AT_USER (no no_new_privs): loading then needs
 *     CAP_SYS_ADMIN, which the capability drop may take away; everything after
 *     runs under the filter, as with runc.
 *  4. the bounding set, while CAP_SETPCAP is still ours, and PR_SET_KEEPCAPS.
 *  5. groups, gid, uid: after them, the process is the container's user.
 *  6. effective/permitted/inheritable, then ambient: capset after the switch,
 *     because a switch away from uid 0 clears the effective set.
 *  7. seccomp at SECCOMP_AT_READY (a notify filter, create mode): berth must
 *     still be listening to receive its descriptor.
 *  8. seccomp at SECCOMP_AT_EXEC: after the fifo wait, before the startContainer
 *     hooks (they run under the filter, as with runc), else in process_exec: the
 *     last step before execve, so the profile need not allow the fifo wait.
 */
struct process *process_prepare(const struct plan *p) {
    struct attrs pr = p->process;
    struct process *proc = calloc(1, sizeof *proc);
    if (!proc) fail("process", ENOMEM, NULL, "out of memory");
    proc->plan = p;
    proc->argv = attrs_strings(pr, PR_ARG);
    proc->envp = attrs_strings(pr, PR_ENV);
    proc->preserve_fds = p->preserve_fds;
    if (!proc->argv[0]) fail("process", EINVAL, NULL, "the process has no arguments");
    proc->envp = with_home(proc->envp, attrs_u32(pr, PR_UID, 0));
    const char *cwd = attrs_str(pr, PR_CWD, "/");
    log_debug("chdir to %s", cwd);
    if (cwd[0] == '/' && cwd[1]) make_cwd(cwd);
    /* Before the user switch, while we may enter any directory; again after,
     * for a cwd only the user can reach (root squashed on NFS). */
    bool in_cwd = chdir(cwd) == 0;
    security_cpu_affinity(pr);
    security_rlimits(pr);
    security_no_new_privs(pr);
    security_sched(pr);
    security_lsm(pr);
    security_seccomp(p, SECCOMP_AT_USER);
    security_caps_before_user(pr);
    switch_user(pr);
    if (!in_cwd && chdir(cwd) < 0) fail_errno("process", cwd, "chdir to cwd %s", cwd);
    security_caps_after_user(pr);
    umask(attrs_u32(pr, PR_UMASK, p->umask));
    proc->file = find_executable(pr, proc->argv, proc->envp);
    log_debug("executable %s", proc->file);
    security_seccomp(p, SECCOMP_AT_READY);
    return proc;
}

/* Moves a descriptor of ours out of the range the preserved ones go to. */
static int move_above(int fd, int above) {
    if (fd < 0 || fd >= above) return fd;
    int moved = fcntl(fd, F_DUPFD_CLOEXEC, above);
    if (moved < 0) fail_errno("process", NULL, "move descriptor %d", fd);
    close(fd);
    return moved;
}

/* The P_PRESERVE_FDS descriptors berth put at BERTH_FD_PRESERVED.. become 3.. of the process,
 * as runc passes LISTEN_FDS and --preserve-fds; our own descriptors move out of the way. */
static void place_preserved(uint32_t n) {
    if (!n) return;
    int above = BERTH_FD_PRESERVED + (int)n;
    report_fd = move_above(report_fd, above);
    report_start_fd = move_above(report_start_fd, above);
    log_debug("pass %u preserved descriptors", n);
    /* In ascending order a target only overwrites a source that was already copied. */
    for (uint32_t i = 0; i < n; i++)
        if (dup2(BERTH_FD_PRESERVED + (int)i, 3 + (int)i) < 0) fail_errno("process", NULL, "pass descriptor %u", 3 + i);
    for (int fd = 3 + (int)n; fd < above; fd++) close(fd);
}

void process_exec(const struct process *proc) {
    place_preserved(proc->preserve_fds);
    security_seccomp(proc->plan, SECCOMP_AT_EXEC);
    report_set_status(127);
    execve(proc->file, proc->argv, proc->envp);
    fail_errno("exec", proc->file, "exec %s", proc->file);
}
