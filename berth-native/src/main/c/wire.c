#define _GNU_SOURCE
#include "wire.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "report.h"

enum payload { P_NONE, P_U32, P_U64, P_STR, P_NESTED, P_BYTES };

struct attr_info {
    uint16_t type;
    uint8_t payload;
    const char *name;
};

#define U32(n) {n, P_U32, #n}
#define U64(n) {n, P_U64, #n}
#define STR(n) {n, P_STR, #n}
#define NEST(n) {n, P_NESTED, #n}
#define BYTES(n) {n, P_BYTES, #n}

/* Every attribute protocol.h defines; anything else in a message is a bug in
 * the sender, reported rather than skipped. */
static const struct attr_info attr_table[] = {
    U32(A_PID), U32(A_ERRNO), STR(A_MESSAGE), STR(A_STEP), STR(A_PATH), U32(A_LEVEL),
    STR(A_STATE), STR(A_NAME), STR(A_SOURCE), STR(A_TARGET), STR(A_FSTYPE), STR(A_DATA),
    U64(A_FLAGS), U64(A_PROPAGATION), U64(A_ATTR_SET), U64(A_ATTR_CLR), U32(A_KIND),
    U32(A_MODE), U32(A_MAJOR), U32(A_MINOR), U32(A_UID), U32(A_GID), STR(A_VALUE),
    STR(A_ARG), STR(A_ENV), U32(A_TIMEOUT), U32(A_NSTYPE), U64(A_OFFSET_SEC),
    U32(A_OFFSET_NSEC), U32(A_CLOCK), U32(A_OPTIONAL), U32(A_MODE_HELPER), U32(A_IDMAP),
    U32(A_RESOURCE), U64(A_SOFT), U64(A_HARD), BYTES(A_PROGRAM), U32(A_STAGE),
    U32(P_MODE), STR(P_ROOTFS), NEST(P_JOIN_NS), U32(P_NEW_NS), NEST(P_TIME_OFFSET),
    NEST(P_PROCESS), NEST(P_HOOK), U32(P_FIFO), U32(P_LOG_LEVEL), U32(P_JOIN_PIDFD), U32(P_CONSOLE),
    U32(P_PRESERVE_FDS),
    STR(PR_ARG), STR(PR_ENV), STR(PR_CWD), U32(PR_UID), U32(PR_GID), U32(PR_ADDITIONAL_GID),
    U32(PR_UMASK), STR(PR_EXECUTABLE),
    U64(PR_CAPS_BOUNDING), U64(PR_CAPS_EFFECTIVE), U64(PR_CAPS_PERMITTED), U64(PR_CAPS_INHERITABLE),
    U64(PR_CAPS_AMBIENT), NEST(PR_RLIMIT), U32(PR_NO_NEW_PRIVS), U32(PR_OOM_SCORE_ADJ), NEST(PR_SECCOMP),
    NEST(PR_LSM_ATTR), BYTES(PR_SCHED_ATTR), U32(PR_IOPRIO), U32(PR_PERSONALITY), BYTES(PR_CPU_AFFINITY),
    U32(PR_CONSOLE_HEIGHT), U32(PR_CONSOLE_WIDTH),
    NEST(OP_PREPARE_ROOT), NEST(OP_MOUNT), NEST(OP_MKNOD), NEST(OP_BIND_DEVICE),
    NEST(OP_SYMLINK), NEST(OP_HOOKS), NEST(OP_PIVOT_ROOT), NEST(OP_CHROOT),
    NEST(OP_ROOT_PROPAGATION), NEST(OP_REMOUNT_ROOT_RO), NEST(OP_MASK_PATH),
    NEST(OP_READONLY_PATH), NEST(OP_SYSCTL), NEST(OP_HOSTNAME), NEST(OP_DOMAINNAME),
};

static const struct attr_info *attr_info(uint16_t type) {
    for (size_t i = 0; i < sizeof attr_table / sizeof attr_table[0]; i++)
        if (attr_table[i].type == type) return &attr_table[i];
    return NULL;
}

const char *attr_name(uint16_t type) {
    const struct attr_info *i = attr_info(type);
    return i ? i->name : "unknown";
}

static uint16_t get16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static uint32_t get32(const uint8_t *p) { return get16(p) | (uint32_t)get16(p + 2) << 16; }

#define BAD(...) fail("protocol", EPROTO, NULL, __VA_ARGS__)

static void check_payload(const struct attr *a) {
    const struct attr_info *info = attr_info(a->type);
    if (!info) BAD("unknown attribute type %u", a->type);
    switch (info->payload) {
    case P_U32:
        if (a->len != 4) BAD("attribute %s (%u) has %u bytes, a u32 needs 4", info->name, a->type, a->len);
        break;
    case P_U64:
        if (a->len != 8) BAD("attribute %s (%u) has %u bytes, a u64 needs 8", info->name, a->type, a->len);
        break;
    case P_STR:
        if (a->len == 0 || memchr(a->data, 0, a->len) != a->data + a->len - 1)
            BAD("attribute %s (%u) is not one NUL-terminated string", info->name, a->type);
        break;
    default:
        break;
    }
}

/* Walks a run of attributes checking every bound before anything reads it. */
static void check_attrs(const uint8_t *p, const uint8_t *end, unsigned depth) {
    while (p < end) {
        size_t left = (size_t)(end - p);
        if (left < BERTH_ATTR_HEADER_SIZE)
            BAD("truncated attribute header: %zu bytes left, %d needed", left, BERTH_ATTR_HEADER_SIZE);
        uint16_t len = get16(p), type = get16(p + 2);
        if (len < BERTH_ATTR_HEADER_SIZE || len > left)
            BAD("attribute %s (%u) of length %u overruns the message (%zu bytes left)", attr_name(type), type, len,
                left);
        struct attr a = {type, (uint16_t)(len - BERTH_ATTR_HEADER_SIZE), p + BERTH_ATTR_HEADER_SIZE};
        check_payload(&a);
        if (attr_info(type)->payload == P_NESTED) {
            if (depth > 2) BAD("attribute %s (%u) is nested too deeply", attr_name(type), type);
            check_attrs(a.data, a.data + a.len, depth + 1);
        }
        size_t step = ((size_t)len + 3) & ~(size_t)3;
        p += step < left ? step : left;
    }
}

static void check_header(const uint8_t *buf, size_t n, uint16_t expect_kind) {
    if (n < BERTH_HEADER_SIZE) BAD("message of %zu bytes has no header", n);
    uint32_t magic = get32(buf), length = get32(buf + 8);
    uint16_t version = get16(buf + 4), kind = get16(buf + 6);
    if (magic != BERTH_MAGIC)
        BAD("bad magic 0x%08x (expected 0x%08x): not a berth message", magic, BERTH_MAGIC);
    if (version != BERTH_PROTOCOL_VERSION)
        BAD("protocol version %u is not supported by this berth-init (it speaks %u)",
             version, BERTH_PROTOCOL_VERSION);
    if (kind != expect_kind) BAD("expected message kind %u, got kind %u", expect_kind, kind);
    if (length != n) BAD("message says %u bytes but %zu arrived", length, n);
}

/* Descriptors berth sent along with messages (SCM_RIGHTS), in arrival order. */
#define MAX_RECEIVED_FDS 64
static int received_fds[MAX_RECEIVED_FDS];
static unsigned received_count;

int wire_received_fd(unsigned index) { return index < received_count ? received_fds[index] : -1; }

static void keep_fds(struct msghdr *mh) {
    for (struct cmsghdr *c = CMSG_FIRSTHDR(mh); c; c = CMSG_NXTHDR(mh, c)) {
        if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS) continue;
        size_t n = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
        for (size_t i = 0; i < n; i++) {
            int fd;
            memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof fd);
            if (received_count == MAX_RECEIVED_FDS)
                fail("protocol", EMFILE, NULL, "berth sent more than %d descriptors", MAX_RECEIVED_FDS);
            received_fds[received_count++] = fd;
        }
    }
    if (mh->msg_flags & MSG_CTRUNC) fail("protocol", EMSGSIZE, NULL, "berth sent too many descriptors at once");
}

struct attrs wire_recv(int fd, uint8_t *buf, size_t cap, uint16_t expect_kind) {
    ssize_t n;
    union {
        char space[CMSG_SPACE(sizeof(int) * 16)];
        struct cmsghdr align;
    } control;
    struct iovec iov = {.iov_base = buf, .iov_len = cap};
    struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.space,
                        .msg_controllen = sizeof control.space};
    do {
        /* MSG_TRUNC makes an oversized datagram report its real size. */
        n = recvmsg(fd, &mh, MSG_TRUNC | MSG_CMSG_CLOEXEC);
    } while (n < 0 && errno == EINTR);
    if (n >= 0) keep_fds(&mh);
    if (n < 0) fail_errno("protocol", NULL, "receive from berth");
    if (n == 0) fail("protocol", EPIPE, NULL, "berth closed the socket before sending message kind %u", expect_kind);
    if ((size_t)n > cap) fail("protocol", EMSGSIZE, NULL, "message of %zd bytes exceeds the limit of %zu", n, cap);
    check_header(buf, (size_t)n, expect_kind);
    check_attrs(buf + BERTH_HEADER_SIZE, buf + n, 0);
    return (struct attrs){buf + BERTH_HEADER_SIZE, buf + n};
}

bool attr_next(struct attrs *it, struct attr *a) {
    if (it->p >= it->end) return false;
    uint16_t len = get16(it->p);
    a->type = get16(it->p + 2);
    a->len = (uint16_t)(len - BERTH_ATTR_HEADER_SIZE);
    a->data = it->p + BERTH_ATTR_HEADER_SIZE;
    size_t step = ((size_t)len + 3) & ~(size_t)3, left = (size_t)(it->end - it->p);
    it->p += step < left ? step : left;
    return true;
}

struct attrs attr_nested(const struct attr *a) { return (struct attrs){a->data, a->data + a->len}; }

uint32_t attr_u32(const struct attr *a) { return get32(a->data); }

uint64_t attr_u64(const struct attr *a) { return get32(a->data) | (uint64_t)get32(a->data + 4) << 32; }

const char *attr_str(const struct attr *a) { return (const char *)a->data; }

bool attrs_find(struct attrs list, uint16_t type, struct attr *out) {
    while (attr_next(&list, out))
        if (out->type == type) return true;
    return false;
}

uint32_t attrs_u32(struct attrs list, uint16_t type, uint32_t dflt) {
    struct attr a;
    return attrs_find(list, type, &a) ? attr_u32(&a) : dflt;
}

uint64_t attrs_u64(struct attrs list, uint16_t type, uint64_t dflt) {
    struct attr a;
    return attrs_find(list, type, &a) ? attr_u64(&a) : dflt;
}

const char *attrs_str(struct attrs list, uint16_t type, const char *dflt) {
    struct attr a;
    return attrs_find(list, type, &a) ? attr_str(&a) : dflt;
}

size_t attrs_count(struct attrs list, uint16_t type) {
    struct attr a;
    size_t n = 0;
    while (attr_next(&list, &a)) n += a.type == type;
    return n;
}

char **attrs_strings(struct attrs list, uint16_t type) {
    char **v = calloc(attrs_count(list, type) + 1, sizeof *v);
    if (!v) fail("protocol", ENOMEM, NULL, "out of memory");
    size_t n = 0;
    struct attr a;
    while (attr_next(&list, &a))
        if (a.type == type) v[n++] = (char *)attr_str(&a);
    return v;
}

static void put16(uint8_t *p, uint16_t v) {
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v) {
    put16(p, (uint16_t)v);
    put16(p + 2, (uint16_t)(v >> 16));
}

void out_init(struct msg_out *m, uint16_t kind) {
    put32(m->buf, BERTH_MAGIC);
    put16(m->buf + 4, BERTH_PROTOCOL_VERSION);
    put16(m->buf + 6, kind);
    m->len = BERTH_HEADER_SIZE;
}

static void out_attr(struct msg_out *m, uint16_t type, const void *payload, size_t n) {
    size_t padded = (BERTH_ATTR_HEADER_SIZE + n + 3) & ~(size_t)3;
    uint8_t *p = m->buf + m->len;
    put16(p, (uint16_t)(BERTH_ATTR_HEADER_SIZE + n));
    put16(p + 2, type);
    memcpy(p + BERTH_ATTR_HEADER_SIZE, payload, n);
    memset(p + BERTH_ATTR_HEADER_SIZE + n, 0, padded - BERTH_ATTR_HEADER_SIZE - n);
    m->len += padded;
}

void out_u32(struct msg_out *m, uint16_t type, uint32_t v) {
    uint8_t b[4];
    put32(b, v);
    if (m->len + 8 <= sizeof m->buf) out_attr(m, type, b, 4);
}

void out_str(struct msg_out *m, uint16_t type, const char *s) {
    size_t room = sizeof m->buf - m->len;
    if (room < BERTH_ATTR_HEADER_SIZE + 4) return;
    size_t n = strlen(s), max = room - BERTH_ATTR_HEADER_SIZE - 4;
    if (n > max) n = max;
    char tmp[WIRE_OUT_MAX];
    memcpy(tmp, s, n);
    tmp[n] = 0;
    out_attr(m, type, tmp, n + 1);
}

int out_send(int fd, struct msg_out *m) { return out_send_fd(fd, m, -1); }

int out_send_fd(int fd, struct msg_out *m, int pass) {
    put32(m->buf + 8, (uint32_t)m->len);
    struct iovec iov = {m->buf, m->len};
    union {
        struct cmsghdr h;
        char space[CMSG_SPACE(sizeof(int))];
    } ctl;
    struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1};
    if (pass >= 0) {
        memset(&ctl, 0, sizeof ctl);
        msg.msg_control = ctl.space;
        msg.msg_controllen = sizeof ctl.space;
        struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
        c->cmsg_level = SOL_SOCKET;
        c->cmsg_type = SCM_RIGHTS;
        c->cmsg_len = CMSG_LEN(sizeof(int));
        memcpy(CMSG_DATA(c), &pass, sizeof pass);
    }
    ssize_t n;
    do {
        n = sendmsg(fd, &msg, MSG_NOSIGNAL);
    } while (n < 0 && errno == EINTR);
    return n < 0 ? -errno : 0;
}
