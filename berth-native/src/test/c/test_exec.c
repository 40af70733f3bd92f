/* Tests of exec mode (joining a running container) and of joining a
 * namespace that the container's user namespace has no rights in. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests.h"

struct holder {
    pid_t pid;    /* our child */
    pid_t target; /* the process whose namespaces are joined */
};

/* A process in fresh namespaces that waits to be killed. With a PID
 * namespace the waiting one is that namespace's init, a grandchild. */
static struct holder hold_namespaces(int flags) {
    int p[2];
    struct holder h = {0};
    if (pipe(p) < 0) return h;
    h.pid = fork();
    if (h.pid == 0) {
        if (unshare(flags) < 0) _exit(1);
        if (flags & CLONE_NEWUTS) sethostname("joined", 6);
        pid_t target = getpid();
        if (flags & CLONE_NEWPID) {
            target = fork();
            if (target == 0) pause();
        }
        if (write(p[1], &target, sizeof target) < 0) _exit(1);
        pause();
        _exit(0);
    }
    close(p[1]);
    if (read(p[0], &h.target, sizeof h.target) != sizeof h.target) h.target = 0;
    close(p[0]);
    return h;
}

static void release(struct holder *h) {
    if (h->target > 0 && h->target != h->pid) kill(h->target, SIGKILL);
    if (h->pid > 0) {
        kill(h->pid, SIGKILL);
        waitpid(h->pid, NULL, 0);
    }
}

static void exec_plan(struct enc *e) {
    enc_init(e, MSG_BOOTSTRAP);
    enc_u32(e, P_MODE, HELPER_EXEC);
    enc_u32(e, P_LOG_LEVEL, LOG_DEBUG);
}

static void exec_process(struct enc *e, const char *script) {
    enc_begin(e, P_PROCESS);
    enc_str(e, PR_ARG, "/bin/busybox");
    enc_str(e, PR_ARG, "sh");
    enc_str(e, PR_ARG, "-c");
    enc_str(e, PR_ARG, script);
    enc_str(e, PR_ENV, "PATH=/bin");
    enc_str(e, PR_CWD, "/tmp");
    enc_end(e);
}

static void join_ns(struct enc *e, uint32_t type, const char *path) {
    enc_begin(e, P_JOIN_NS);
    enc_u32(e, A_NSTYPE, type);
    enc_str(e, A_PATH, path);
    enc_end(e);
}

int test_exec_mode(void) {
    if (geteuid() != 0) SKIP("needs root");
    struct enc e;
    exec_plan(&e);
    exec_process(&e, "echo exec-ok pid=$$ cwd=$(pwd)");
    struct spawn_opts opts = {.fd4 = -1};
    struct helper h = spawn_helper(&opts);
    struct outcome o;
    converse(&h, &e, NULL, &o);
    char want[64];
    snprintf(want, sizeof want, "exec-ok pid=%d cwd=/tmp\n", (int)h.pid);
    EXPECT(!o.error, "MSG_ERROR %s: %s", o.err_step, o.err_message);
    EXPECT(o.execed_pid == h.pid, "EXECED %d, helper %d", o.execed_pid, (int)h.pid);
    EXPECT(!strcmp(o.out, want), "output \"%s\"", o.out);
    return PASS;
}

int test_exec_joins(void) {
    if (geteuid() != 0) SKIP("needs root");
    struct holder ns = hold_namespaces(CLONE_NEWUTS | CLONE_NEWPID);
    if (ns.target <= 0) SKIP("cannot make namespaces to join");
    char uts[64], pid[64];
    snprintf(uts, sizeof uts, "/proc/%d/ns/uts", (int)ns.target);
    snprintf(pid, sizeof pid, "/proc/%d/ns/pid", (int)ns.target);
    struct enc e;
    exec_plan(&e);
    join_ns(&e, CLONE_NEWUTS, uts);
    join_ns(&e, CLONE_NEWPID, pid);
    exec_process(&e, "hostname; echo pid=$$");
    struct spawn_opts opts = {.fd4 = -1};
    struct helper h = spawn_helper(&opts);
    struct outcome o;
    converse(&h, &e, NULL, &o);
    release(&ns);
    EXPECT(!o.error, "MSG_ERROR %s: %s", o.err_step, o.err_message);
    EXPECT(o.execed_pid > 0 && o.execed_pid != h.pid, "EXECED %d, helper %d", o.execed_pid, (int)h.pid);
    EXPECT(!strcmp(o.out, "joined\npid=2\n"), "output \"%s\"", o.out);
    EXPECT(strstr(o.log_text, "join pid namespace"), "log:\n%s", o.log_text);
    return PASS;
}

/* The same join with one setns on a pidfd of the target, as berth exec asks for it. */
int test_exec_joins_by_pidfd(void) {
    if (geteuid() != 0) SKIP("needs root");
    struct holder ns = hold_namespaces(CLONE_NEWUTS | CLONE_NEWPID);
    if (ns.target <= 0) SKIP("cannot make namespaces to join");
    int pidfd = (int)syscall(SYS_pidfd_open, ns.target, 0);
    if (pidfd < 0) {
        release(&ns);
        SKIP("no pidfd_open here");
    }
    char uts[64], pid[64];
    snprintf(uts, sizeof uts, "/proc/%d/ns/uts", (int)ns.target);
    snprintf(pid, sizeof pid, "/proc/%d/ns/pid", (int)ns.target);
    struct enc e;
    exec_plan(&e);
    enc_u32(&e, P_JOIN_PIDFD, 1);
    join_ns(&e, CLONE_NEWUTS, uts);
    join_ns(&e, CLONE_NEWPID, pid);
    exec_process(&e, "hostname; echo pid=$$; ls /proc/self/fd | wc -l");
    struct spawn_opts opts = {.fd4 = pidfd};
    struct helper h = spawn_helper(&opts);
    struct outcome o;
    converse(&h, &e, NULL, &o);
    close(pidfd);
    release(&ns);
    EXPECT(!o.error, "MSG_ERROR %s: %s", o.err_step, o.err_message);
    EXPECT(o.execed_pid > 0 && o.execed_pid != h.pid, "EXECED %d, helper %d", o.execed_pid, (int)h.pid);
    /* ls sees stdio and its own directory, not the pidfd. */
    EXPECT(!strcmp(o.out, "joined\npid=2\n4\n"), "output \"%s\"", o.out);
    EXPECT(strstr(o.log_text, "through its pidfd"), "log:\n%s", o.log_text);
    return PASS;
}

/* design.md, seed 000: a network namespace made by the host's root cannot be
 * joined from the container's user namespace; the error must say whose it
 * is. The helper runs as nobody so that the first attempt is refused too. */
int test_join_owned_by_host(void) {
    if (geteuid() != 0) SKIP("needs root (to make the namespace and run the helper as nobody)");
    struct holder ns = hold_namespaces(CLONE_NEWNET);
    if (ns.target <= 0) SKIP("cannot make a network namespace");
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/ns/net", (int)ns.target);
    /* nobody may not open another user's /proc/<pid>/ns; its own fd 4 it may. */
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat host_user;
    stat("/proc/self/ns/user", &host_user);
    struct enc e;
    enc_init(&e, MSG_BOOTSTRAP);
    enc_u32(&e, P_MODE, HELPER_CREATE);
    enc_str(&e, P_ROOTFS, "/");
    join_ns(&e, CLONE_NEWNET, "/proc/self/fd/4");
    enc_u32(&e, P_NEW_NS, CLONE_NEWUSER | CLONE_NEWNS);
    exec_process(&e, "true");
    struct spawn_opts opts = {.fd4 = fd, .uid = 65534};
    struct helper h = spawn_helper(&opts);
    struct parent parent = {.maps = "0 65534 1\n"};
    struct outcome o;
    converse(&h, &e, &parent, &o);
    close(fd);
    release(&ns);
    if (o.error && strstr(o.err_message, "create user namespace")) SKIP("no user namespaces for nobody here");
    char owner[64];
    snprintf(owner, sizeof owner, "owned by user:[%lu]", (unsigned long)host_user.st_ino);
    EXPECT(o.error, "no error");
    EXPECT(strstr(o.err_message, "join network namespace /proc/self/fd/4: Operation not permitted"), "message \"%s\"",
           o.err_message);
    EXPECT(strstr(o.err_message, owner), "message \"%s\" lacks \"%s\"", o.err_message, owner);
    EXPECT(strstr(o.err_message, "create it inside the container's user namespace, or join that user namespace"),
           "message \"%s\"", o.err_message);
    EXPECT(o.err_errno == EPERM, "errno %u", o.err_errno);
    return PASS;
}
