#define _GNU_SOURCE
#include "harness.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <grp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

const char *helper_path;

static void put16(uint8_t *p, uint16_t v) {
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v) {
    put16(p, (uint16_t)v);
    put16(p + 2, (uint16_t)(v >> 16));
}

void enc_init(struct enc *e, uint16_t kind) {
    memset(e, 0, sizeof *e);
    put32(e->buf, BERTH_MAGIC);
    put16(e->buf + 4, BERTH_PROTOCOL_VERSION);
    put16(e->buf + 6, kind);
    e->len = BERTH_HEADER_SIZE;
}

static void attr(struct enc *e, uint16_t type, const void *p, size_t n) {
    put16(e->buf + e->len, (uint16_t)(4 + n));
    put16(e->buf + e->len + 2, type);
    memcpy(e->buf + e->len + 4, p, n);
    e->len += (4 + n + 3) & ~(size_t)3;
}

void enc_u32(struct enc *e, uint16_t type, uint32_t v) {
    uint8_t b[4];
    put32(b, v);
    attr(e, type, b, 4);
}

void enc_u64(struct enc *e, uint16_t type, uint64_t v) {
    uint8_t b[8];
    put32(b, (uint32_t)v);
    put32(b + 4, (uint32_t)(v >> 32));
    attr(e, type, b, 8);
}

void enc_str(struct enc *e, uint16_t type, const char *s) { attr(e, type, s, strlen(s) + 1); }

void enc_bytes(struct enc *e, uint16_t type, const void *p, size_t n) { attr(e, type, p, n); }

void enc_begin(struct enc *e, uint16_t type) {
    e->open[e->depth++] = e->len;
    put16(e->buf + e->len + 2, type);
    e->len += 4;
}

void enc_end(struct enc *e) {
    size_t start = e->open[--e->depth];
    put16(e->buf + start, (uint16_t)(e->len - start));
}

void enc_op(struct enc *e, uint16_t type) {
    enc_begin(e, type);
    enc_end(e);
}

size_t enc_finish(struct enc *e) {
    put32(e->buf + 8, (uint32_t)e->len);
    return e->len;
}

static void child_setup(const struct spawn_opts *o, int sock, int out, int err) {
    dup2(out, 1);
    dup2(err, 2);
    int null = open("/dev/null", O_RDONLY);
    dup2(null, 0);
    /* Through high numbers first, so that no descriptor clobbers another. */
    dup2(o->not_a_socket ? null : sock, 200);
    if (o->fd4 >= 0) dup2(o->fd4, 201);
    dup2(200, 3);
    if (o->fd4 >= 0) dup2(201, 4);
    else close(4);
    close(200);
    close(201);
    /* What a JVM does to its children: signals blocked and ignored, a
     * descriptor leaked. The helper must undo all of it. */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigprocmask(SIG_BLOCK, &set, NULL);
    signal(SIGUSR1, SIG_IGN);
    dup2(null, 100);
    if (o->uid) {
        gid_t g = o->uid;
        if (setgroups(1, &g) < 0 || setresgid(g, g, g) < 0 || setresuid(o->uid, o->uid, o->uid) < 0) _exit(99);
    }
}

struct helper spawn_helper(const struct spawn_opts *o) {
    int sv[2], out[2], err[2];
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0 || pipe2(out, O_CLOEXEC) < 0 ||
        pipe2(err, O_CLOEXEC) < 0) {
        perror("socketpair/pipe");
        exit(2);
    }
    struct helper h = {.sock = sv[0], .out = out[0], .err = err[0]};
    h.pid = fork();
    if (h.pid == 0) {
        child_setup(o, sv[1], out[1], err[1]);
        execl(helper_path, "berth-init", (char *)NULL);
        _exit(98);
    }
    close(sv[1]);
    close(out[1]);
    close(err[1]);
    return h;
}

bool send_raw(const struct helper *h, const void *buf, size_t len) {
    return send(h->sock, buf, len, MSG_NOSIGNAL) == (ssize_t)len;
}

static uint16_t get16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static uint32_t get32(const uint8_t *p) { return get16(p) | (uint32_t)get16(p + 2) << 16; }

static void copy_str(char *dst, size_t cap, const uint8_t *p, size_t n) {
    if (n >= cap) n = cap - 1;
    memcpy(dst, p, n);
    dst[n] = 0;
}

static void record_error(struct outcome *o, const uint8_t *p, const uint8_t *end) {
    o->error = true;
    while (end - p >= 4) {
        uint16_t len = get16(p), type = get16(p + 2);
        if (len < 4 || len > end - p) break;
        const uint8_t *d = p + 4;
        size_t n = len - 4u;
        if (type == A_ERRNO && n == 4) o->err_errno = get32(d);
        if (type == A_STEP) copy_str(o->err_step, sizeof o->err_step, d, n);
        if (type == A_PATH) copy_str(o->err_path, sizeof o->err_path, d, n);
        if (type == A_MESSAGE) copy_str(o->err_message, sizeof o->err_message, d, n);
        p += (len + 3u) & ~3u;
    }
}

static uint32_t first_u32(const uint8_t *p, const uint8_t *end, uint16_t want) {
    while (end - p >= 8) {
        uint16_t len = get16(p), type = get16(p + 2);
        if (type == want && len == 8) return get32(p + 4);
        if (len < 4) break;
        p += (len + 3u) & ~3u;
    }
    return 0;
}

static void record_log(struct outcome *o, const uint8_t *p, const uint8_t *end) {
    o->logs++;
    while (end - p >= 4) {
        uint16_t len = get16(p), type = get16(p + 2);
        if (len < 4 || len > end - p) break;
        if (type == A_MESSAGE) {
            size_t used = strlen(o->log_text);
            snprintf(o->log_text + used, sizeof o->log_text - used, "%.*s\n", (int)(len - 5), (const char *)p + 4);
        }
        p += (len + 3u) & ~3u;
    }
}

static void ack(const struct helper *h, uint32_t err, const char *message, const char *state) {
    struct enc e;
    enc_init(&e, MSG_ACK);
    enc_u32(&e, A_ERRNO, err);
    if (message) enc_str(&e, A_MESSAGE, message);
    if (state) enc_str(&e, A_STATE, state);
    send_raw(h, e.buf, enc_finish(&e));
}

static void write_maps(int pid, const char *maps) {
    /* As berth does for an unprivileged user: no gid map without this. */
    if (geteuid() != 0) {
        char path[64];
        snprintf(path, sizeof path, "/proc/%d/setgroups", pid);
        int fd = open(path, O_WRONLY);
        if (fd < 0 || write(fd, "deny", 4) < 0) fprintf(stderr, "write %s: %s\n", path, strerror(errno));
        if (fd >= 0) close(fd);
    }
    const char *files[] = {"uid_map", "gid_map"};
    for (int i = 0; i < 2; i++) {
        char path[64];
        snprintf(path, sizeof path, "/proc/%d/%s", pid, files[i]);
        int fd = open(path, O_WRONLY);
        if (fd < 0 || write(fd, maps, strlen(maps)) < 0) fprintf(stderr, "write %s: %s\n", path, strerror(errno));
        if (fd >= 0) close(fd);
    }
}

static void read_fifo(const char *fifo, struct outcome *o) {
    int fd = open(fifo, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return;
    if (read(fd, &o->fifo_byte, 1) != 1) o->fifo_byte = 0;
    close(fd);
}

/* One message from the helper; false at EOF or after 20 s of silence. */
static bool handle_one(struct helper *h, const struct parent *parent, struct outcome *o) {
    static uint8_t buf[BERTH_MAX_MESSAGE];
    struct pollfd pfd = {h->sock, POLLIN, 0};
    if (poll(&pfd, 1, 20000) <= 0) return false;
    ssize_t n = recv(h->sock, buf, sizeof buf, 0);
    if (n < BERTH_HEADER_SIZE) return false;
    const uint8_t *body = buf + BERTH_HEADER_SIZE, *end = buf + n;
    switch (get16(buf + 6)) {
    case MSG_CHILD_PID: o->child_pid = (int)first_u32(body, end, A_PID); break;
    case MSG_EXECED: o->execed_pid = (int)first_u32(body, end, A_PID); break;
    case MSG_ERROR: record_error(o, body, end); break;
    case MSG_LOG: record_log(o, body, end); break;
    case MSG_MAP_IDS:
        o->map_ids++;
        o->map_ids_pid = (int)first_u32(body, end, A_PID);
        if (!parent->map_errno && o->map_ids_pid) write_maps(o->map_ids_pid, parent->maps);
        ack(h, parent->map_errno, parent->map_errno ? "newuidmap: refused by the test" : NULL, NULL);
        break;
    case MSG_HOOKS: ack(h, 0, NULL, parent->state ? parent->state : "{}"); break;
    case MSG_READY:
        o->ready = true;
        if (parent->fifo) read_fifo(parent->fifo, o);
        break;
    default: break;
    }
    return true;
}

static void read_all(int fd, char *buf, size_t cap) {
    size_t len = 0;
    struct pollfd pfd = {fd, POLLIN, 0};
    while (len < cap - 1 && poll(&pfd, 1, 20000) > 0) {
        ssize_t n = read(fd, buf + len, cap - 1 - len);
        if (n <= 0) break;
        len += (size_t)n;
    }
    buf[len] = 0;
}

static int wait_status(pid_t pid) {
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR) return -1;
    return status;
}

void converse(struct helper *h, struct enc *plan, const struct parent *parent, struct outcome *o) {
    static const struct parent none;
    if (!parent) parent = &none;
    memset(o, 0, sizeof *o);
    o->init_status = -1;
    if (plan) send_raw(h, plan->buf, enc_finish(plan));
    while (handle_one(h, parent, o)) continue;
    read_all(h->out, o->out, sizeof o->out);
    read_all(h->err, o->errout, sizeof o->errout);
    o->stage0_status = wait_status(h->pid);
    /* The init (or the process exec mode forked) is orphaned when stage 0
     * exits; we are the subreaper. */
    pid_t orphan = o->child_pid > 0 ? o->child_pid : o->execed_pid != h->pid ? o->execed_pid : 0;
    if (orphan > 0) o->init_status = wait_status(orphan);
    close(h->sock);
    close(h->out);
    close(h->err);
}

char *make_rootfs(void) { return make_rootfs_in("/tmp"); }

char *make_rootfs_in(const char *dir) {
    char tmpl[256];
    snprintf(tmpl, sizeof tmpl, "%s/berth-test.XXXXXX", dir);
    if (!mkdtemp(tmpl)) return NULL;
    char *root = strdup(tmpl), path[256];
    chmod(root, 0755);
    snprintf(path, sizeof path, "%s/bin", root);
    mkdir(path, 0755);
    snprintf(path, sizeof path, "%s/bin/busybox", root);
    int in = open("/bin/busybox", O_RDONLY), out = open(path, O_WRONLY | O_CREAT | O_EXCL, 0755);
    char buf[65536];
    ssize_t n;
    while (in >= 0 && out >= 0 && (n = read(in, buf, sizeof buf)) > 0)
        if (write(out, buf, (size_t)n) != n) break;
    bool ok = in >= 0 && out >= 0 && n == 0;
    if (in >= 0) close(in);
    if (out >= 0) close(out);
    if (!ok) {
        remove_tree(root);
        free(root);
        return NULL;
    }
    return root;
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
    (void)st;
    (void)ftw;
    return flag == FTW_DP ? rmdir(path) : unlink(path);
}

void remove_tree(const char *path) { nftw(path, remove_one, 16, FTW_DEPTH | FTW_PHYS | FTW_MOUNT); }
