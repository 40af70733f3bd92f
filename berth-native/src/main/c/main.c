/*
 * berth-init: executes the plan berth computed (docs/protocol.md).
 * Stage 0 is the process berth spawns: it joins and creates namespaces and
 * forks the container's init, which runs the ordered operations, prepares
 * the process, reports MSG_READY, waits on exec.fifo and execs.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "berth.h"
#include "paths.h"
#include "report.h"

/* The plan stays here for the whole run: attributes point into it. */
static uint8_t plan_buf[BERTH_MAX_MESSAGE];

/* The JVM may spawn us with signals blocked and handlers installed, and
 * make leaves 32 and 33 ignored; the container's init must inherit none of
 * it, or it ignores SIGTERM. Raw system calls: glibc's wrappers refuse to
 * touch the two signals it reserves for itself. */
static void reset_signals(void) {
    struct {
        void (*handler)(int);
        unsigned long flags;
        void (*restorer)(void);
        uint64_t mask;
    } dfl = {.handler = SIG_DFL};
    uint64_t none = 0;
    syscall(SYS_rt_sigprocmask, SIG_SETMASK, &none, NULL, sizeof none);
    for (int sig = 1; sig <= 64; sig++)
        if (sig != SIGKILL && sig != SIGSTOP) syscall(SYS_rt_sigaction, sig, &dfl, NULL, sizeof dfl.mask);
}

/* stdio is kept (and opened on /dev/null when missing, so no pipe we make lands on 0-2). */
static void tidy_stdio(void) {
    for (int fd = 0; fd < 3; fd++)
        if (fcntl(fd, F_GETFD) < 0 && open("/dev/null", O_RDWR | O_CLOEXEC) == fd) fcntl(fd, F_SETFD, 0);
    fcntl(BERTH_FD_SYNC, F_SETFD, FD_CLOEXEC);
    fcntl(BERTH_FD_FIFO, F_SETFD, FD_CLOEXEC);
}

/* Descriptors the JVM leaked must not reach the container: everything above ours and the
 * ones the plan says to preserve is closed. */
static void close_others(uint32_t preserved) {
    unsigned first = BERTH_FD_PRESERVED + preserved;
    if (syscall(SYS_close_range, first, ~0U, 0U) == 0) return;
    long max = sysconf(_SC_OPEN_MAX);
    for (long fd = first; fd < (max > 0 ? max : 65536); fd++) close((int)fd);
}

static void check_socket(void) {
    int type;
    socklen_t len = sizeof type;
    if (getsockopt(BERTH_FD_SYNC, SOL_SOCKET, SO_TYPE, &type, &len) == 0 && type == SOCK_SEQPACKET) return;
    report_stderr("this program is started by berth; it is not a command");
    _exit(1);
}

static struct plan read_plan(void) {
    struct plan p = {0};
    p.all = wire_recv(BERTH_FD_SYNC, plan_buf, sizeof plan_buf, MSG_BOOTSTRAP);
    report_level = attrs_u32(p.all, P_LOG_LEVEL, LOG_INFO);
    p.mode = attrs_u32(p.all, P_MODE, 0);
    p.new_ns = attrs_u32(p.all, P_NEW_NS, 0);
    p.fifo = attrs_u32(p.all, P_FIFO, 0);
    p.console = attrs_u32(p.all, P_CONSOLE, 0);
    p.preserve_fds = attrs_u32(p.all, P_PRESERVE_FDS, 0);
    p.rootfs = attrs_str(p.all, P_ROOTFS, NULL);
    p.state = "";
    struct attr a;
    if (p.mode == HELPER_HOLD) return p;
    if (!attrs_find(p.all, P_PROCESS, &a)) fail("bootstrap", EINVAL, NULL, "the plan has no P_PROCESS");
    p.process = attr_nested(&a);
    if (p.mode != HELPER_CREATE && p.mode != HELPER_EXEC)
        fail("bootstrap", EINVAL, NULL, "P_MODE %u is not HELPER_CREATE, HELPER_EXEC or HELPER_HOLD", p.mode);
    if (p.mode == HELPER_CREATE && (!p.rootfs || p.rootfs[0] != '/'))
        fail("bootstrap", EINVAL, NULL, "the plan has no absolute P_ROOTFS");
    return p;
}

struct attrs ask_parent(const char *step, uint16_t kind, int pid) {
    static struct msg_out m;
    out_init(&m, kind);
    if (pid >= 0) out_u32(&m, A_PID, (uint32_t)pid);
    int r = out_send(report_fd, &m);
    if (r < 0) {
        errno = -r;
        fail_errno(step, NULL, "ask berth (%s)", step);
    }
    /* Each answer keeps its own buffer: the hooks ACK's state is used later. */
    uint8_t *buf = malloc(BERTH_MAX_MESSAGE);
    if (!buf) fail(step, ENOMEM, NULL, "out of memory");
    struct attrs ack = wire_recv(report_fd, buf, BERTH_MAX_MESSAGE, MSG_ACK);
    uint32_t err = attrs_u32(ack, A_ERRNO, 0);
    if (err) fail(step, (int)err, NULL, "%s", attrs_str(ack, A_MESSAGE, strerror((int)err)));
    return ack;
}

void send_parent_fd(const char *step, const char *name, int fd) {
    static struct msg_out m;
    out_init(&m, MSG_SEND_FD);
    out_str(&m, A_NAME, name);
    int r = out_send_fd(report_fd, &m, fd);
    if (r < 0) {
        errno = -r;
        fail_errno(step, NULL, "send the %s descriptor to berth", name);
    }
    static uint8_t buf[BERTH_MAX_MESSAGE];
    struct attrs ack = wire_recv(report_fd, buf, sizeof buf, MSG_ACK);
    uint32_t err = attrs_u32(ack, A_ERRNO, 0);
    if (err) fail(step, (int)err, NULL, "%s", attrs_str(ack, A_MESSAGE, strerror((int)err)));
}

static void tell_parent(const char *step, uint16_t kind, int pid) {
    static struct msg_out m;
    out_init(&m, kind);
    if (pid >= 0) out_u32(&m, A_PID, (uint32_t)pid);
    int r = out_send(report_fd, &m);
    if (r < 0) {
        errno = -r;
        fail_errno(step, NULL, "tell berth (%s)", step);
    }
}

/* Forks; the parent reports the child's pid as kind and exits. The child
 * waits until that report is sent, so berth always reads the pid before
 * anything the child says. */
static void split(uint16_t kind) {
    int gate[2];
    if (pipe2(gate, O_CLOEXEC) < 0) fail_errno("fork", NULL, "pipe");
    pid_t pid = fork();
    if (pid < 0) fail_errno("fork", NULL, "fork");
    if (pid == 0) {
        close(gate[1]);
        char c;
        while (read(gate[0], &c, 1) < 0 && errno == EINTR) continue;
        close(gate[0]);
        return;
    }
    struct msg_out m;
    out_init(&m, kind);
    out_u32(&m, A_PID, (uint32_t)pid);
    if (out_send(report_fd, &m) < 0) {
        kill(pid, SIGKILL);
        fail_errno("fork", NULL, "report pid %d to berth", (int)pid);
    }
    _exit(0);
}

/* Blocks until `berth start` opens exec.fifo for reading. The fifo stays open (close-on-exec)
 * so that start reads EOF at execve, or the error that stopped the process before it. */
static void wait_fifo(void) {
    int fd = open(fd_path(BERTH_FD_FIFO).s, O_WRONLY | O_CLOEXEC);
    if (fd < 0) fail_errno("exec.fifo", NULL, "open exec.fifo");
    if (write(fd, "0", 1) != 1) fail_errno("exec.fifo", NULL, "write exec.fifo");
    close(BERTH_FD_FIFO);
    report_start_fd = fd;
}

static noreturn void create_mode(struct plan *p) {
    ns_setup(p);
    split(MSG_CHILD_PID);
    if (setsid() < 0) fail_errno("setsid", NULL, "setsid");
    paths_set_root(p->rootfs);
    ops_run(p);
    if (p->console) console_setup(p);
    struct process *proc = process_prepare(p);
    log_debug("ready");
    tell_parent("ready", MSG_READY, -1);
    /* From here berth is gone: failures go to stderr. */
    close(report_fd);
    report_fd = -1;
    if (p->fifo) wait_fifo();
    /* startContainer hooks run in the container as its process will, so under its seccomp
     * filter too (runc loads it before them). Without hooks this is the last step before
     * execve; process_exec then finds it loaded. */
    security_seccomp(p, SECCOMP_AT_EXEC);
    hooks_run(p, HOOK_START_CONTAINER);
    process_exec(proc);
}

/* The socket stays open until execve closes it: EOF tells berth the
 * process runs, and failures before that still arrive as MSG_ERROR. */
static noreturn void exec_mode(struct plan *p) {
    if (ns_setup(p)) split(MSG_EXECED);
    else tell_parent("exec", MSG_EXECED, getpid());
    close(BERTH_FD_PIDFD);
    /* As runc's exec: the process leads a session of its own, which a console needs. */
    if (setsid() < 0) fail_errno("setsid", NULL, "setsid");
    if (p->console) console_setup(p);
    struct process *proc = process_prepare(p);
    process_exec(proc);
}

int main(void) {
    reset_signals();
    tidy_stdio();
    check_socket();
    /* Ops create files with the modes the plan gives; the process gets
     * its own umask (or this one back) in process_prepare. */
    unsigned initial_umask = umask(0);
    struct plan p = read_plan();
    p.umask = initial_umask;
    close_others(p.preserve_fds);
    security_oom_score(&p);
    if (p.mode == HELPER_EXEC) exec_mode(&p);
    if (p.mode == HELPER_HOLD) holder_mode(&p);
    create_mode(&p);
}
