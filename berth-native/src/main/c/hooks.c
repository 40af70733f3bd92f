#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "berth.h"
#include "report.h"

/* Enough output to explain a failure; the rest is read and dropped. */
#define HOOK_OUTPUT_MAX 4096

struct hook {
    const char *kind; /* "createContainer", "startContainer" */
    const char *path;
    char **argv;
    char **envp;
    uint32_t timeout;
};

struct run {
    pid_t pid;
    int pidfd;
    int in;  /* the hook's stdin, fed with the state; -1 when done */
    int out; /* its stdout and stderr; -1 at EOF */
    const char *state;
    size_t fed;
    char output[HOOK_OUTPUT_MAX + 1];
    size_t len;
};

static noreturn void hook_child(const struct hook *h, int in, int out) {
    /* dup2 clears close-on-exec on the copies; the originals go at exec. */
    if (dup2(in, STDIN_FILENO) < 0 || dup2(out, STDOUT_FILENO) < 0 || dup2(out, STDERR_FILENO) < 0) _exit(127);
    signal(SIGPIPE, SIG_DFL);
    execve(h->path, h->argv, h->envp);
    dprintf(STDERR_FILENO, "exec %s: %s", h->path, strerror(errno));
    _exit(127);
}

static void start(const struct hook *h, struct run *r) {
    int in[2], out[2];
    if (pipe2(in, O_CLOEXEC) < 0 || pipe2(out, O_CLOEXEC) < 0)
        fail_errno("hooks", h->path, "%s hook %s: pipe", h->kind, h->path);
    r->pid = fork();
    if (r->pid < 0) fail_errno("hooks", h->path, "%s hook %s: fork", h->kind, h->path);
    if (r->pid == 0) hook_child(h, in[0], out[1]);
    close(in[0]);
    close(out[1]);
    r->in = in[1];
    r->out = out[0];
    fcntl(r->in, F_SETFL, O_NONBLOCK);
    fcntl(r->out, F_SETFL, O_NONBLOCK);
    r->pidfd = (int)syscall(SYS_pidfd_open, r->pid, 0);
    if (r->pidfd < 0) fail_errno("hooks", h->path, "%s hook %s: pidfd_open", h->kind, h->path);
}

static void feed(struct run *r) {
    size_t left = strlen(r->state) - r->fed;
    ssize_t n = left ? write(r->in, r->state + r->fed, left) : 0;
    if (n > 0) r->fed += (size_t)n;
    /* A hook that does not read its stdin (EPIPE) is not an error. */
    if (r->fed == strlen(r->state) || (n < 0 && errno != EAGAIN && errno != EINTR)) {
        close(r->in);
        r->in = -1;
    }
}

static void collect(struct run *r) {
    char buf[4096];
    ssize_t n;
    while ((n = read(r->out, buf, sizeof buf)) > 0) {
        size_t take = (size_t)n < HOOK_OUTPUT_MAX - r->len ? (size_t)n : HOOK_OUTPUT_MAX - r->len;
        memcpy(r->output + r->len, buf, take);
        r->len += take;
    }
    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
        close(r->out);
        r->out = -1;
    }
}

static int64_t now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Feeds and drains the hook until it exits; false when the time ran out. */
static bool supervise(const struct hook *h, struct run *r) {
    int64_t deadline = now_ms() + (int64_t)h->timeout * 1000;
    for (;;) {
        struct pollfd fds[3] = {{r->pidfd, POLLIN, 0}, {r->out, POLLIN, 0}, {r->in, POLLOUT, 0}};
        int64_t left = deadline - now_ms();
        if (h->timeout && left <= 0) return false;
        int n = poll(fds, 3, h->timeout ? (int)left : -1);
        if (n < 0 && errno != EINTR) fail_errno("hooks", h->path, "%s hook %s: poll", h->kind, h->path);
        if (n <= 0) continue;
        if (fds[2].revents) feed(r);
        if (fds[1].revents) collect(r);
        if (fds[0].revents) break;
    }
    if (r->out >= 0) collect(r);
    return true;
}

static void check_status(const struct hook *h, struct run *r, int status) {
    while (r->len && (r->output[r->len - 1] == '\n' || r->output[r->len - 1] == ' ')) r->len--;
    r->output[r->len] = 0;
    const char *sep = r->len ? ": " : "";
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return;
    if (WIFEXITED(status))
        fail("hooks", 0, h->path, "%s hook %s: exit status %d%s%s", h->kind, h->path, WEXITSTATUS(status), sep,
             r->output);
    fail("hooks", 0, h->path, "%s hook %s: killed by signal %d%s%s", h->kind, h->path, WTERMSIG(status), sep,
         r->output);
}

static void run_hook(const struct hook *h, const char *state) {
    log_debug("run %s hook %s", h->kind, h->path);
    struct run *r = calloc(1, sizeof *r);
    if (!r) fail("hooks", ENOMEM, h->path, "%s hook %s: out of memory", h->kind, h->path);
    r->state = state;
    /* Writing to a hook that closed its stdin must give EPIPE, not kill us. */
    signal(SIGPIPE, SIG_IGN);
    start(h, r);
    bool done = supervise(h, r);
    if (!done) kill(r->pid, SIGKILL);
    int status;
    while (waitpid(r->pid, &status, 0) < 0 && errno == EINTR) continue;
    signal(SIGPIPE, SIG_DFL);
    if (!done) fail("hooks", ETIMEDOUT, h->path, "%s hook %s timed out after %u s", h->kind, h->path, h->timeout);
    check_status(h, r, status);
    if (r->in >= 0) close(r->in);
    if (r->out >= 0) close(r->out);
    close(r->pidfd);
    free(r);
}

void hooks_run(const struct plan *p, uint32_t kind) {
    struct attrs it = p->all;
    struct attr a;
    while (attr_next(&it, &a)) {
        if (a.type != P_HOOK) continue;
        struct attrs attrs = attr_nested(&a);
        if (attrs_u32(attrs, A_KIND, 0) != kind) continue;
        struct hook h = {
            .kind = kind == HOOK_CREATE_CONTAINER ? "createContainer" : "startContainer",
            .path = attrs_str(attrs, A_PATH, ""),
            .argv = attrs_strings(attrs, A_ARG),
            .envp = attrs_strings(attrs, A_ENV),
            .timeout = attrs_u32(attrs, A_TIMEOUT, 0),
        };
        char *only_path[] = {(char *)h.path, NULL};
        if (!h.argv[0]) h.argv = only_path;
        run_hook(&h, kind == HOOK_START_CONTAINER ? p->start_state : p->state);
    }
}

void op_hooks(struct plan *p) {
    log_debug("ask berth to run the prestart and createRuntime hooks");
    struct attrs ack = ask_parent("hooks", MSG_HOOKS, -1);
    char **states = attrs_strings(ack, A_STATE);
    p->state = states[0] ? states[0] : "";
    p->start_state = states[0] && states[1] ? states[1] : p->state;
    hooks_run(p, HOOK_CREATE_CONTAINER);
}
