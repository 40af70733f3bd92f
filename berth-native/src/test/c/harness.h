/* Test harness for berth-init: an encoder of its own (so the helper's parser
 * is checked against an independent writer), spawning, and the parent's
 * side of the conversation. */
#ifndef BERTH_TEST_HARNESS_H
#define BERTH_TEST_HARNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "../../main/c/protocol.h"

struct enc {
    uint8_t buf[65536];
    size_t len;
    size_t open[8];
    int depth;
};

void enc_init(struct enc *e, uint16_t kind);
void enc_u32(struct enc *e, uint16_t type, uint32_t v);
void enc_u64(struct enc *e, uint16_t type, uint64_t v);
void enc_str(struct enc *e, uint16_t type, const char *s);
void enc_bytes(struct enc *e, uint16_t type, const void *p, size_t n);
void enc_begin(struct enc *e, uint16_t type);
void enc_end(struct enc *e);
/* Patches the header length; returns the message size. */
size_t enc_finish(struct enc *e);
/* An operation without attributes. */
void enc_op(struct enc *e, uint16_t type);

struct spawn_opts {
    bool not_a_socket; /* fd 3 is /dev/null */
    int fd4;           /* descriptor to pass as fd 4, or -1 */
    uid_t uid;         /* run as this user when non-zero */
};

struct helper {
    pid_t pid;
    int sock;
    int out; /* stdout */
    int err; /* stderr */
};

extern const char *helper_path;

struct helper spawn_helper(const struct spawn_opts *o);
bool send_raw(const struct helper *h, const void *buf, size_t len);

/* What the helper said, gathered by converse(). */
struct outcome {
    int child_pid;  /* MSG_CHILD_PID */
    int execed_pid; /* MSG_EXECED */
    bool ready;
    bool error;
    uint32_t err_errno;
    char err_step[64];
    char err_path[512];
    char err_message[8192];
    int logs;
    char log_text[16384];
    char fifo_byte; /* what was read from exec.fifo after READY */
    char out[16384];
    char errout[8192];
    int map_ids;      /* MSG_MAP_IDS requests */
    int map_ids_pid;  /* A_PID of the last one, 0 when it had none */
    int stage0_status;
    int init_status; /* -1 when there was no init to wait for */
};

/* How the parent answers. */
struct parent {
    const char *fifo;     /* open for reading after READY */
    const char *maps;     /* written to uid_map and gid_map on MAP_IDS */
    uint32_t map_errno;   /* refuse MAP_IDS with this */
    const char *state;    /* A_STATE of the hooks ACK */
};

/* Sends the plan, answers requests until EOF, collects output and exit
 * statuses. */
void converse(struct helper *h, struct enc *plan, const struct parent *parent, struct outcome *o);

/* A temporary root file system with bin/busybox; NULL when unavailable. */
char *make_rootfs(void);
/* The same, under a directory of the caller's. */
char *make_rootfs_in(const char *dir);
void remove_tree(const char *path);

#endif
