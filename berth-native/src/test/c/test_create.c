/* Tests that run real plans: namespaces, mounts, hooks, the process. They
 * need root (and one runs the helper as nobody to meet a refusal). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <grp.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tests.h"

#define STATE "{\"ociVersion\":\"1.2.0\",\"id\":\"t1\",\"status\":\"creating\"}"

static void plan_begin(struct enc *e, const char *root, uint32_t new_ns, uint32_t fifo) {
    enc_init(e, MSG_BOOTSTRAP);
    enc_u32(e, P_MODE, HELPER_CREATE);
    enc_u32(e, P_LOG_LEVEL, LOG_DEBUG);
    enc_str(e, P_ROOTFS, root);
    enc_u32(e, P_NEW_NS, new_ns);
    enc_u32(e, P_FIFO, fifo);
}

static void plan_mount(struct enc *e, const char *src, const char *target, const char *fstype, uint64_t flags) {
    enc_begin(e, OP_MOUNT);
    enc_str(e, A_SOURCE, src);
    enc_str(e, A_TARGET, target);
    if (fstype) enc_str(e, A_FSTYPE, fstype);
    enc_u64(e, A_FLAGS, flags);
    enc_u32(e, A_KIND, TARGET_DIR);
    enc_end(e);
}

static void plan_target(struct enc *e, uint16_t op, const char *target) {
    enc_begin(e, op);
    enc_str(e, A_TARGET, target);
    enc_end(e);
}

static void plan_pair(struct enc *e, uint16_t op, uint16_t a, const char *va, uint16_t b, const char *vb) {
    enc_begin(e, op);
    enc_str(e, a, va);
    if (b) enc_str(e, b, vb);
    enc_end(e);
}

static void plan_prepare(struct enc *e) {
    enc_begin(e, OP_PREPARE_ROOT);
    enc_u64(e, A_PROPAGATION, MS_SLAVE | MS_REC);
    enc_end(e);
}

static void plan_hook(struct enc *e, uint32_t kind, const char *script, uint32_t timeout) {
    enc_begin(e, P_HOOK);
    enc_u32(e, A_KIND, kind);
    enc_str(e, A_PATH, "/bin/busybox");
    enc_str(e, A_ARG, "busybox");
    enc_str(e, A_ARG, "sh");
    enc_str(e, A_ARG, "-c");
    enc_str(e, A_ARG, script);
    enc_str(e, A_ENV, "PATH=/bin");
    enc_u32(e, A_TIMEOUT, timeout);
    enc_end(e);
}

static void plan_process(struct enc *e, const char *arg0, const char *script) {
    enc_begin(e, P_PROCESS);
    enc_str(e, PR_ARG, arg0);
    if (script) {
        enc_str(e, PR_ARG, "-c");
        enc_str(e, PR_ARG, script);
    }
    enc_str(e, PR_ENV, "PATH=/bin");
    enc_str(e, PR_CWD, "/");
    enc_u32(e, PR_UID, 0);
    enc_u32(e, PR_GID, 0);
    enc_end(e);
}

static int run_plan(struct enc *plan, const struct parent *parent, int fd4, struct outcome *o) {
    struct spawn_opts opts = {.fd4 = fd4};
    struct helper h = spawn_helper(&opts);
    converse(&h, plan, parent, o);
    return PASS;
}

static int with_rootfs(int (*fn)(const char *root)) {
    if (geteuid() != 0) SKIP("needs root");
    if (access("/bin/busybox", X_OK) < 0) SKIP("needs /bin/busybox (apt-get install busybox-static)");
    char *root = make_rootfs();
    if (!root) SKIP("cannot make a root file system in /tmp");
    int r = fn(root);
    remove_tree(root);
    free(root);
    return r;
}

static bool exited(int status, int code) { return WIFEXITED(status) && WEXITSTATUS(status) == code; }

#define SCRIPT                                                                                                        \
    "hostname; echo pid=$$; echo fds $(cd /proc/self/fd && echo *); grep -E '^Sig(Blk|Ign)' /proc/self/status; "    \
    "echo hook $(cat /hookstate); echo start $(cat /started); echo domain $(cat /proc/sys/kernel/domainname); "     \
    "echo cpuinfo $(wc -c < /proc/cpuinfo); "                                                                     \
    "echo driver $(ls -A /proc/driver | wc -l) $(touch /proc/driver/x || echo ro); "                              \
    "grep -E ' /(proc/sys|ro-bin) ' /proc/self/mountinfo; "                      \
    "echo null $(stat -c '%t:%T %a' /dev/null)"

static int check_create(const char *root) {
    char fifo[] = "/tmp/berth-fifo.XXXXXX", fifo_path[64], hook[512];
    if (!mkdtemp(fifo)) SKIP("mkdtemp");
    snprintf(fifo_path, sizeof fifo_path, "%s/exec.fifo", fifo);
    mkfifo(fifo_path, 0622);
    int fd4 = open(fifo_path, O_PATH | O_CLOEXEC);
    char bin[512];
    snprintf(bin, sizeof bin, "%s/bin", root);
    snprintf(hook, sizeof hook, "cat > %s/hookstate", root);

    struct enc e;
    plan_begin(&e, root, CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWUTS, 1);
    plan_hook(&e, HOOK_CREATE_CONTAINER, hook, 10);
    plan_hook(&e, HOOK_START_CONTAINER, "cat > /started", 10);
    plan_prepare(&e);
    plan_mount(&e, "proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC);
    plan_mount(&e, bin, "/ro-bin", NULL, MS_BIND | MS_REC | MS_RDONLY | MS_NOSUID);
    enc_begin(&e, OP_MKNOD);
    enc_str(&e, A_TARGET, "/dev/null");
    enc_u32(&e, A_MODE, S_IFCHR | 0666);
    enc_u32(&e, A_MAJOR, 1);
    enc_u32(&e, A_MINOR, 3);
    enc_end(&e);
    plan_pair(&e, OP_SYMLINK, A_SOURCE, "busybox", A_TARGET, "/bin/sh");
    enc_op(&e, OP_HOOKS);
    enc_op(&e, OP_PIVOT_ROOT);
    plan_pair(&e, OP_HOSTNAME, A_VALUE, "berth-test", 0, NULL);
    plan_pair(&e, OP_SYSCTL, A_NAME, "kernel.domainname", A_VALUE, "berth.example");
    plan_target(&e, OP_MASK_PATH, "/proc/cpuinfo");
    plan_target(&e, OP_MASK_PATH, "/proc/driver");
    plan_target(&e, OP_MASK_PATH, "/proc/no-such-file");
    plan_target(&e, OP_READONLY_PATH, "/proc/sys");
    plan_process(&e, "sh", SCRIPT);

    struct parent parent = {.fifo = fifo_path, .state = STATE};
    struct outcome o;
    run_plan(&e, &parent, fd4, &o);
    close(fd4);
    unlink(fifo_path);
    rmdir(fifo);
    EXPECT(!o.error, "MSG_ERROR %s: %s", o.err_step, o.err_message);
    EXPECT(o.child_pid > 0 && o.ready, "CHILD_PID %d, READY %d", o.child_pid, o.ready);
    EXPECT(o.fifo_byte == '0', "exec.fifo gave 0x%02x", o.fifo_byte);
    EXPECT(strstr(o.log_text, "mount proc on /proc (proc)\n"), "debug log lacks the proc mount:\n%s", o.log_text);
    EXPECT(exited(o.stage0_status, 0), "stage 0 status 0x%x", o.stage0_status);
    EXPECT(exited(o.init_status, 0), "init status 0x%x, stderr %s, output:\n%s", o.init_status, o.errout, o.out);
    const char *want[] = {
        "berth-test\n", "pid=1\n", "fds 0 1 2 3\n", "SigBlk:\t0000000000000000\n", "SigIgn:\t0000000000000000\n",
        "hook " STATE "\n", "start " STATE "\n", "domain berth.example\n", "cpuinfo 0\n", "driver 0 ro\n",
        " /proc/sys ro,",
        " /ro-bin ro,nosuid,", "null 1:3 666\n",
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        EXPECT(strstr(o.out, want[i]), "output lacks \"%s\":\n%s", want[i], o.out);
    return PASS;
}

/* Targets that are symlinks pointing out of the root must land inside it. */
static int check_escape(const char *root) {
    char path[512], outside[64];
    snprintf(outside, sizeof outside, "/tmp/berth-escape-%d", (int)getpid());
    snprintf(path, sizeof path, "%s/evil", root);
    if (symlink("/../../etc", path) < 0) SKIP("symlink");
    snprintf(path, sizeof path, "%s/evil2", root);
    char rel[128];
    snprintf(rel, sizeof rel, "../../../../..%s", outside);
    if (symlink(rel, path) < 0) SKIP("symlink");
    snprintf(path, sizeof path, "%s/bin/sh", root);
    if (symlink("busybox", path) < 0) SKIP("symlink");

    struct enc e;
    plan_begin(&e, root, CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWUTS, 0);
    plan_prepare(&e);
    plan_mount(&e, "proc", "/proc", "proc", 0);
    plan_mount(&e, "tmpfs", "/evil", "tmpfs", 0);
    plan_mount(&e, "tmpfs", "/evil2/sub", "tmpfs", 0);
    enc_op(&e, OP_PIVOT_ROOT);
    enc_op(&e, OP_REMOUNT_ROOT_RO);
    plan_pair(&e, OP_DOMAINNAME, A_VALUE, "escape.example", 0, NULL);
    plan_process(&e, "sh",
                 "grep -E ' /(etc|tmp/.*/sub) ' /proc/self/mountinfo; touch /x 2>/dev/null || echo root-ro; "
                 "echo domain $(cat /proc/sys/kernel/domainname)");
    struct outcome o;
    run_plan(&e, NULL, -1, &o);
    snprintf(path, sizeof path, "%s/etc", root);
    struct stat st;
    bool inside = stat(path, &st) == 0 && S_ISDIR(st.st_mode);
    bool escaped = access(outside, F_OK) == 0;
    if (escaped) remove_tree(outside);
    EXPECT(!o.error, "MSG_ERROR %s: %s", o.err_step, o.err_message);
    EXPECT(!escaped, "%s was created on the host", outside);
    EXPECT(inside, "%s was not created", path);
    EXPECT(strstr(o.out, " /etc rw,relatime - tmpfs ") || strstr(o.out, " /etc rw - tmpfs "),
           "no tmpfs on /etc:\n%s", o.out);
    EXPECT(strstr(o.out, outside) && strstr(o.out, "/sub "), "no tmpfs on %s/sub inside:\n%s", outside, o.out);
    EXPECT(strstr(o.out, "root-ro\n"), "/ is writable:\n%s", o.out);
    EXPECT(strstr(o.out, "domain escape.example\n"), "domainname not set:\n%s", o.out);
    return PASS;
}

/* The bind of /locked asks for read-only only; the kernel refuses to clear
 * nosuid, nodev and noexec that the host set, so they must be kept. */
static int check_user_ns(const char *root) {
    char path[512], locked[] = "/tmp/berth-locked.XXXXXX";
    snprintf(path, sizeof path, "%s/proc", root);
    mkdir(path, 0755);
    snprintf(path, sizeof path, "%s/locked", root);
    mkdir(path, 0755);
    snprintf(path, sizeof path, "%s/bin/sh", root);
    if (symlink("busybox", path) < 0) SKIP("symlink");
    if (!mkdtemp(locked)) SKIP("mkdtemp");
    if (mount("tmpfs", locked, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0) SKIP("mount tmpfs");
    struct enc e;
    plan_begin(&e, root, CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWUTS | CLONE_NEWIPC, 0);
    plan_prepare(&e);
    plan_mount(&e, "proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC);
    plan_mount(&e, locked, "/locked", NULL, MS_BIND | MS_RDONLY);
    enc_op(&e, OP_PIVOT_ROOT);
    plan_pair(&e, OP_HOSTNAME, A_VALUE, "userns", 0, NULL);
    plan_process(&e, "sh",
                 "echo uid $(id -u) map $(cat /proc/self/uid_map); hostname; echo pid=$$; "
                 "grep ' /locked ' /proc/self/mountinfo");
    struct parent parent = {.maps = "0 100000 65536\n"};
    struct outcome o;
    run_plan(&e, &parent, -1, &o);
    umount2(locked, MNT_DETACH);
    rmdir(locked);
    EXPECT(!o.error, "MSG_ERROR %s: %s", o.err_step, o.err_message);
    EXPECT(strstr(o.out, "uid 0 map 0 100000 65536\n"), "output:\n%s", o.out);
    EXPECT(strstr(o.out, "userns\npid=1\n"), "output:\n%s", o.out);
    EXPECT(strstr(o.out, " /locked ro,nosuid,nodev,noexec"), "output:\n%s", o.out);
    EXPECT(strstr(o.log_text, "keep the locked flags"), "log:\n%s", o.log_text);
    EXPECT(exited(o.init_status, 0), "init status 0x%x", o.init_status);
    return PASS;
}

/* Rootless: the whole conversation as nobody, berth's side included, with
 * the single mapping an unprivileged user may write itself. */
static int check_rootless(const char *root) {
    char path[512];
    snprintf(path, sizeof path, "%s/proc", root);
    mkdir(path, 0755);
    snprintf(path, sizeof path, "%s/bin/sh", root);
    if (symlink("busybox", path) < 0) SKIP("symlink");
    int p[2];
    if (pipe(p) < 0) SKIP("pipe");
    pid_t pid = fork();
    if (pid == 0) {
        close(p[0]);
        prctl(PR_SET_CHILD_SUBREAPER, 1);
        if (setgroups(0, NULL) < 0 || setresgid(65534, 65534, 65534) < 0 || setresuid(65534, 65534, 65534) < 0)
            _exit(1);
        struct enc e;
        plan_begin(&e, root, CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWUTS | CLONE_NEWIPC, 0);
        plan_prepare(&e);
        plan_mount(&e, "proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC);
        enc_op(&e, OP_PIVOT_ROOT);
        plan_process(&e, "sh",
                     "echo uid $(id -u) map $(cat /proc/self/uid_map) $(cat /proc/self/setgroups); echo pid=$$");
        struct parent parent = {.maps = "0 65534 1\n"};
        static struct outcome o;
        run_plan(&e, &parent, -1, &o);
        if (o.error) dprintf(p[1], "ERROR %s: %s", o.err_step, o.err_message);
        else dprintf(p[1], "%s", o.out);
        _exit(0);
    }
    close(p[1]);
    static char result[16384];
    ssize_t n, len = 0;
    while ((n = read(p[0], result + len, sizeof result - 1 - (size_t)len)) > 0) len += n;
    result[len] = 0;
    close(p[0]);
    waitpid(pid, NULL, 0);
    if (strstr(result, "create user namespace")) SKIP("no user namespaces for nobody: %s", result);
    EXPECT(!strcmp(result, "uid 0 map 0 65534 1 deny\npid=1\n"), "got \"%s\"", result);
    return PASS;
}

static bool host_has_mount_under(const char *dir) {
    FILE *f = fopen("/proc/self/mountinfo", "r");
    char line[4096];
    bool found = false;
    while (f && fgets(line, sizeof line, f)) found |= strstr(line, dir) != NULL;
    if (f) fclose(f);
    return found;
}

/* pivot_root refuses a rootfs whose parent mount is shared; the helper makes
 * it private, before the bind of the rootfs so that nothing reaches the host. */
static int test_shared_parent(void) {
    if (geteuid() != 0) SKIP("needs root");
    if (access("/bin/busybox", X_OK) < 0) SKIP("needs /bin/busybox");
    char base[] = "/tmp/berth-shared.XXXXXX";
    if (!mkdtemp(base)) SKIP("mkdtemp");
    if (mount("tmpfs", base, "tmpfs", 0, NULL) < 0 || mount(NULL, base, NULL, MS_SHARED, NULL) < 0)
        SKIP("cannot mount a shared tmpfs");
    char *root = make_rootfs_in(base);
    struct enc e;
    plan_begin(&e, root ? root : "/nonexistent", CLONE_NEWNS | CLONE_NEWPID, 0);
    enc_begin(&e, OP_PREPARE_ROOT);
    enc_u64(&e, A_PROPAGATION, MS_PRIVATE); /* / only: the tmpfs stays shared */
    enc_end(&e);
    plan_pair(&e, OP_SYMLINK, A_SOURCE, "busybox", A_TARGET, "/bin/sh");
    enc_op(&e, OP_PIVOT_ROOT);
    plan_process(&e, "sh", "echo inside");
    struct outcome o;
    run_plan(&e, NULL, -1, &o);
    bool leaked = root && host_has_mount_under(root);
    free(root);
    umount2(base, MNT_DETACH);
    rmdir(base);
    EXPECT(!o.error, "MSG_ERROR %s: %s", o.err_step, o.err_message);
    EXPECT(!strcmp(o.out, "inside\n"), "output \"%s\"", o.out);
    EXPECT(strstr(o.log_text, "private: it holds"), "log:\n%s", o.log_text);
    EXPECT(!leaked, "the bind of the rootfs propagated to the host");
    return PASS;
}

/* The operations the other tests leave out, and a process that is not root. */
static int check_chroot(const char *root) {
    struct enc e;
    plan_begin(&e, root, CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWUTS | CLONE_NEWTIME, 0);
    enc_begin(&e, P_TIME_OFFSET);
    enc_u32(&e, A_CLOCK, CLOCK_BOOTTIME);
    enc_u64(&e, A_OFFSET_SEC, 1000000);
    enc_u32(&e, A_OFFSET_NSEC, 0);
    enc_end(&e);
    plan_prepare(&e);
    plan_mount(&e, "proc", "/proc", "proc", 0);
    enc_begin(&e, OP_MOUNT);
    enc_str(&e, A_SOURCE, "tmpfs");
    enc_str(&e, A_TARGET, "/attr");
    enc_str(&e, A_FSTYPE, "tmpfs");
    enc_str(&e, A_DATA, "mode=0777");
    enc_u64(&e, A_PROPAGATION, MS_SHARED);
    enc_u64(&e, A_ATTR_SET, MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOEXEC);
    enc_end(&e);
    plan_mount(&e, "tmpfs", "/work", "tmpfs", 0);
    plan_pair(&e, OP_BIND_DEVICE, A_SOURCE, "/dev/null", A_TARGET, "/dev/bound");
    plan_pair(&e, OP_SYMLINK, A_SOURCE, "busybox", A_TARGET, "/bin/sh");
    enc_op(&e, OP_CHROOT);
    enc_begin(&e, OP_ROOT_PROPAGATION);
    enc_u64(&e, A_PROPAGATION, MS_SHARED);
    enc_end(&e);
    enc_begin(&e, OP_SYSCTL); /* the UTS namespace's own */
    enc_str(&e, A_NAME, "kernel.hostname");
    enc_str(&e, A_VALUE, "sysctl-host");
    enc_end(&e);
    enc_begin(&e, P_PROCESS);
    enc_str(&e, PR_ARG, "sh");
    enc_str(&e, PR_ARG, "-c");
    enc_str(&e, PR_ARG,
            "hostname; id; umask; pwd; echo x > /dev/bound && echo bound; "
            "awk '$5 == \"/\" {print \"root\", $0} $5 == \"/attr\" {print \"attr\", $0}' /proc/self/mountinfo; "
            "echo up $(cut -d. -f1 /proc/uptime)");
    enc_str(&e, PR_ENV, "PATH=/bin");
    enc_str(&e, PR_CWD, "/work");
    enc_u32(&e, PR_UID, 1000);
    enc_u32(&e, PR_GID, 1000);
    enc_u32(&e, PR_ADDITIONAL_GID, 10);
    enc_u32(&e, PR_ADDITIONAL_GID, 20);
    enc_u32(&e, PR_UMASK, 027);
    enc_end(&e);
    struct outcome o;
    run_plan(&e, NULL, -1, &o);
    EXPECT(!o.error, "MSG_ERROR %s: %s", o.err_step, o.err_message);
    const char *want[] = {"sysctl-host\n", "uid=1000 gid=1000 groups=10,20\n", "0027\n", "/work\n", "bound\n",
                          " /attr ro,noexec,"};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        EXPECT(strstr(o.out, want[i]), "output lacks \"%s\":\n%s", want[i], o.out);
    /* Both / (OP_ROOT_PROPAGATION) and /attr (A_PROPAGATION) are shared. */
    const char *root_line = strstr(o.out, "root "), *attr = strstr(o.out, "attr ");
    EXPECT(root_line && strstr(root_line, " shared:") && strstr(root_line, " shared:") < strchr(root_line, '\n'),
           "/ is not shared:\n%s", o.out);
    EXPECT(attr && strstr(attr, " shared:") && strstr(attr, " shared:") < strchr(attr, '\n'),
           "/attr is not shared:\n%s", o.out);
    const char *up = strstr(o.out, "up ");
    EXPECT(up && atol(up + 3) >= 1000000, "boottime offset not applied:\n%s", o.out);
    return PASS;
}

/* create must fail, before READY, for a process that cannot be executed. */
static int expect_exec_error(const char *root, const char *arg0, const char *message) {
    struct enc e;
    plan_begin(&e, root, CLONE_NEWNS | CLONE_NEWPID, 0);
    plan_prepare(&e);
    enc_op(&e, OP_PIVOT_ROOT);
    plan_process(&e, arg0, NULL);
    struct outcome o;
    run_plan(&e, NULL, -1, &o);
    EXPECT(o.error && !o.ready, "error %d ready %d", o.error, o.ready);
    EXPECT(!strcmp(o.err_step, "exec"), "step \"%s\"", o.err_step);
    EXPECT(!strcmp(o.err_message, message), "message \"%s\"", o.err_message);
    EXPECT(exited(o.init_status, 1), "init status 0x%x", o.init_status);
    return PASS;
}

static int check_not_in_path(const char *root) {
    return expect_exec_error(root, "nosuchcmd", "exec: \"nosuchcmd\": executable file not found in $PATH");
}

static int check_missing_path(const char *root) {
    return expect_exec_error(root, "/x", "exec: \"/x\": stat /x: No such file or directory");
}

static int expect_hook_error(const char *root, const char *script, uint32_t timeout, const char *message) {
    struct enc e;
    plan_begin(&e, root, CLONE_NEWNS | CLONE_NEWPID, 0);
    plan_hook(&e, HOOK_CREATE_CONTAINER, script, timeout);
    plan_prepare(&e);
    enc_op(&e, OP_HOOKS);
    enc_op(&e, OP_PIVOT_ROOT);
    plan_process(&e, "/bin/busybox", NULL);
    struct outcome o;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    run_plan(&e, NULL, -1, &o);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    EXPECT(o.error && !strcmp(o.err_step, "hooks"), "step \"%s\": %s", o.err_step, o.err_message);
    EXPECT(!strcmp(o.err_message, message), "message \"%s\"", o.err_message);
    EXPECT(t1.tv_sec - t0.tv_sec < 4, "took %ld s", (long)(t1.tv_sec - t0.tv_sec));
    return PASS;
}

static int check_hook_fails(const char *root) {
    return expect_hook_error(root, "echo boom; exit 3", 0,
                             "createContainer hook /bin/busybox: exit status 3: boom");
}

static int check_hook_times_out(const char *root) {
    return expect_hook_error(root, "sleep 10", 1, "createContainer hook /bin/busybox timed out after 1 s");
}

/* Without a new user namespace nothing asked for the idmapped trees before the first attach:
 * the helper asks once, without A_PID; this parent sends no tree, so the attach fails. */
static int check_idmap_without_userns(const char *root) {
    char path[512];
    snprintf(path, sizeof path, "%s/mnt", root);
    mkdir(path, 0755);
    struct enc e;
    plan_begin(&e, root, CLONE_NEWNS | CLONE_NEWPID, 0);
    plan_prepare(&e);
    enc_begin(&e, OP_MOUNT);
    enc_str(&e, A_SOURCE, "/tmp");
    enc_str(&e, A_TARGET, "/mnt");
    enc_u64(&e, A_FLAGS, MS_BIND);
    enc_u32(&e, A_KIND, TARGET_DIR);
    enc_u32(&e, A_IDMAP, 0);
    enc_end(&e);
    enc_op(&e, OP_PIVOT_ROOT);
    plan_process(&e, "busybox", NULL);
    struct parent parent = {0};
    struct outcome o;
    run_plan(&e, &parent, -1, &o);
    EXPECT(o.map_ids == 1 && o.map_ids_pid == 0, "MSG_MAP_IDS %d times, pid %d", o.map_ids, o.map_ids_pid);
    EXPECT(o.error && o.err_errno == EBADF, "error %d errno %u: %s", o.error, o.err_errno, o.err_message);
    return PASS;
}

#define TEST(fn) static int test_##fn(void) { return with_rootfs(check_##fn); }
TEST(create)
TEST(escape)
TEST(user_ns)
TEST(rootless)
TEST(chroot)
TEST(not_in_path)
TEST(missing_path)
TEST(hook_fails)
TEST(hook_times_out)
TEST(idmap_without_userns)

int test_exec_mode(void);
int test_exec_joins(void);
int test_exec_joins_by_pidfd(void);
int test_join_owned_by_host(void);
int test_process_security(void);
int test_seccomp_errno(void);
int test_seccomp_bad_program(void);
int test_cpu_affinity(void);

const struct test create_tests[] = {
    {"create: busybox with proc, pivot, hostname, hooks, fifo", test_create},
    {"create: symlinked targets stay inside the rootfs", test_escape},
    {"create: new user namespace, id maps, locked mount flags", test_user_ns},
    {"create: rootfs under a shared mount", test_shared_parent},
    {"create: rootless, as nobody", test_rootless},
    {"create: chroot, devices, mount attributes, time offsets, user", test_chroot},
    {"create: command not in $PATH", test_not_in_path},
    {"create: command path missing", test_missing_path},
    {"create: failing createContainer hook", test_hook_fails},
    {"create: hook timeout", test_hook_times_out},
    {"create: idmapped trees asked for without a user namespace", test_idmap_without_userns},
    {"exec: run a process", test_exec_mode},
    {"exec: join uts and pid namespaces", test_exec_joins},
    {"exec: join uts and pid namespaces through a pidfd", test_exec_joins_by_pidfd},
    {"join a network namespace owned by the host", test_join_owned_by_host},
    {"process: capabilities, rlimits, no_new_privs, oom score, LSM attr, seccomp", test_process_security},
    {"process: a seccomp filter returns its errno", test_seccomp_errno},
    {"process: a broken seccomp program is refused", test_seccomp_bad_program},
    {"process: execCPUAffinity final", test_cpu_affinity},
    {NULL, NULL},
};
