/* Reading and writing protocol.h messages. */
#ifndef BERTH_WIRE_H
#define BERTH_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "protocol.h"

/* One attribute; data points into the received message, len excludes the
 * attribute header and padding. */
struct attr {
    uint16_t type;
    uint16_t len;
    const uint8_t *data;
};

/* A run of attributes (a message body or a nested payload), iterated in order. */
struct attrs {
    const uint8_t *p;
    const uint8_t *end;
};

/* Outgoing messages are small: errors, logs, pids. */
#define WIRE_OUT_MAX 16384

struct msg_out {
    size_t len;
    uint8_t buf[WIRE_OUT_MAX];
};

/* Receives one datagram into buf and validates it completely (header, kind,
 * every attribute bound and payload type, recursively), so later accessors
 * never need to check. Fails the helper with step "protocol" otherwise. */
struct attrs wire_recv(int fd, uint8_t *buf, size_t cap, uint16_t expect_kind);

bool attr_next(struct attrs *it, struct attr *a);
struct attrs attr_nested(const struct attr *a);
uint32_t attr_u32(const struct attr *a);
uint64_t attr_u64(const struct attr *a);
const char *attr_str(const struct attr *a);

/* The first attribute of a type in a run, or the default. */
bool attrs_find(struct attrs list, uint16_t type, struct attr *out);
uint32_t attrs_u32(struct attrs list, uint16_t type, uint32_t dflt);
uint64_t attrs_u64(struct attrs list, uint16_t type, uint64_t dflt);
const char *attrs_str(struct attrs list, uint16_t type, const char *dflt);
size_t attrs_count(struct attrs list, uint16_t type);
/* A NULL-terminated array of every string attribute of a type (argv, envp). */
char **attrs_strings(struct attrs list, uint16_t type);

/* The protocol.h name of an attribute type, for error messages. */
const char *attr_name(uint16_t type);

void out_init(struct msg_out *m, uint16_t kind);
void out_u32(struct msg_out *m, uint16_t type, uint32_t v);
/* Strings too long for the buffer are cut: they are messages for people. */
void out_str(struct msg_out *m, uint16_t type, const char *s);
/* 0 or -errno. */
int out_send(int fd, struct msg_out *m);
/* The same with one descriptor attached (SCM_RIGHTS), unless passed is -1. */
int out_send_fd(int fd, struct msg_out *m, int passed);

#endif
