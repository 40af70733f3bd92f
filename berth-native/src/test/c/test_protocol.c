/* Tests of berth-init that need no privileges: what it does with messages
 * that do not follow protocol.h, and when it is not started by berth. */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <string.h>
#include <sys/wait.h>

#include "tests.h"

static struct helper start(void) {
    struct spawn_opts o = {.fd4 = -1};
    return spawn_helper(&o);
}

/* Sends raw bytes and expects a MSG_ERROR whose message contains every
 * needle, and exit status 1. */
static int expect_refusal(const void *buf, size_t len, const char *needle1, const char *needle2) {
    struct helper h = start();
    send_raw(&h, buf, len);
    struct outcome o;
    converse(&h, NULL, NULL, &o);
    EXPECT(o.error, "no MSG_ERROR (stderr: %s)", o.errout);
    EXPECT(!strcmp(o.err_step, "protocol"), "step is \"%s\"", o.err_step);
    EXPECT(strstr(o.err_message, needle1), "message \"%s\" lacks \"%s\"", o.err_message, needle1);
    EXPECT(!needle2 || strstr(o.err_message, needle2), "message \"%s\" lacks \"%s\"", o.err_message, needle2);
    EXPECT(WIFEXITED(o.stage0_status) && WEXITSTATUS(o.stage0_status) == 1, "exit status 0x%x", o.stage0_status);
    EXPECT(!o.errout[0], "wrote to stderr although the socket worked: %s", o.errout);
    return PASS;
}

static void minimal(struct enc *e) {
    enc_init(e, MSG_BOOTSTRAP);
    enc_u32(e, P_MODE, HELPER_CREATE);
    enc_str(e, P_ROOTFS, "/nonexistent");
}

static int test_not_a_socket(void) {
    struct spawn_opts opts = {.not_a_socket = true, .fd4 = -1};
    struct helper h = spawn_helper(&opts);
    struct outcome o;
    converse(&h, NULL, NULL, &o);
    EXPECT(strstr(o.errout, "berth-init: this program is started by berth; it is not a command"), "stderr: \"%s\"",
           o.errout);
    EXPECT(WIFEXITED(o.stage0_status) && WEXITSTATUS(o.stage0_status) == 1, "exit status 0x%x", o.stage0_status);
    return PASS;
}

static int test_bad_magic(void) {
    struct enc e;
    minimal(&e);
    size_t n = enc_finish(&e);
    e.buf[0] ^= 0xff;
    return expect_refusal(e.buf, n, "bad magic", NULL);
}

static int test_unknown_version(void) {
    struct enc e;
    minimal(&e);
    size_t n = enc_finish(&e);
    e.buf[4] = 2;
    return expect_refusal(e.buf, n, "protocol version 2 is not supported", "speaks 1");
}

static int test_wrong_kind(void) {
    struct enc e;
    enc_init(&e, MSG_ACK);
    enc_u32(&e, A_ERRNO, 0);
    return expect_refusal(e.buf, enc_finish(&e), "expected message kind 1, got kind 5", NULL);
}

static int test_length_mismatch(void) {
    struct enc e;
    minimal(&e);
    size_t n = enc_finish(&e);
    e.buf[8] += 8;
    return expect_refusal(e.buf, n, "message says", "arrived");
}

static int test_short_message(void) {
    static const uint8_t b[6] = {0x42, 0x52, 0x54, 0x48, 1, 0};
    return expect_refusal(b, sizeof b, "has no header", NULL);
}

static int test_truncated_attribute(void) {
    struct enc e;
    minimal(&e);
    size_t n = enc_finish(&e);
    /* P_ROOTFS is the second attribute, at 12 + 8; claim 200 bytes. */
    e.buf[20] = 200;
    return expect_refusal(e.buf, n, "attribute P_ROOTFS (101) of length 200 overruns", NULL);
}

static int test_truncated_nested(void) {
    struct enc e;
    minimal(&e);
    enc_begin(&e, P_PROCESS);
    size_t arg = e.len;
    enc_str(&e, PR_ARG, "true");
    enc_end(&e);
    size_t n = enc_finish(&e);
    e.buf[arg] = 40; /* longer than its P_PROCESS */
    return expect_refusal(e.buf, n, "attribute PR_ARG (120) of length 40 overruns", NULL);
}

static int test_not_a_string(void) {
    struct enc e;
    minimal(&e);
    size_t at = e.len;
    enc_str(&e, A_TARGET, "abc");
    size_t n = enc_finish(&e);
    e.buf[at + 4 + 3] = 'x'; /* overwrite the NUL */
    return expect_refusal(e.buf, n, "A_TARGET (10) is not one NUL-terminated string", NULL);
}

static int test_wrong_u32_size(void) {
    struct enc e;
    enc_init(&e, MSG_BOOTSTRAP);
    enc_u64(&e, P_MODE, HELPER_CREATE);
    return expect_refusal(e.buf, enc_finish(&e), "P_MODE (100) has 8 bytes, a u32 needs 4", NULL);
}

static int test_unknown_attribute(void) {
    struct enc e;
    minimal(&e);
    enc_u32(&e, 999, 1);
    return expect_refusal(e.buf, enc_finish(&e), "unknown attribute type 999", NULL);
}

static int test_no_process(void) {
    struct enc e;
    minimal(&e);
    struct helper h = start();
    struct outcome o;
    converse(&h, &e, NULL, &o);
    EXPECT(o.error && strstr(o.err_message, "no P_PROCESS"), "message \"%s\"", o.err_message);
    EXPECT(!strcmp(o.err_step, "bootstrap"), "step \"%s\"", o.err_step);
    return PASS;
}

static int test_unknown_mode(void) {
    struct enc e;
    enc_init(&e, MSG_BOOTSTRAP);
    enc_u32(&e, P_MODE, 7);
    enc_begin(&e, P_PROCESS);
    enc_str(&e, PR_ARG, "true");
    enc_end(&e);
    struct helper h = start();
    struct outcome o;
    converse(&h, &e, NULL, &o);
    EXPECT(o.error && strstr(o.err_message, "P_MODE 7"), "message \"%s\"", o.err_message);
    return PASS;
}

/* The parent's refusal to write the id maps ends the helper with the
 * parent's own message. */
static int test_map_ids_refused(void) {
    struct enc e;
    minimal(&e);
    enc_u32(&e, P_NEW_NS, CLONE_NEWUSER);
    enc_begin(&e, P_PROCESS);
    enc_str(&e, PR_ARG, "true");
    enc_end(&e);
    struct helper h = start();
    struct parent parent = {.map_errno = EPERM};
    struct outcome o;
    converse(&h, &e, &parent, &o);
    if (o.error && strstr(o.err_message, "create user namespace")) SKIP("no user namespaces here: %s", o.err_message);
    EXPECT(o.error, "no error");
    EXPECT(!strcmp(o.err_step, "map ids"), "step \"%s\" (%s)", o.err_step, o.err_message);
    EXPECT(o.err_errno == EPERM, "errno %u", o.err_errno);
    EXPECT(!strcmp(o.err_message, "newuidmap: refused by the test"), "message \"%s\"", o.err_message);
    return PASS;
}

const struct test protocol_tests[] = {
    {"not a socket on fd 3", test_not_a_socket},
    {"bad magic", test_bad_magic},
    {"unknown version", test_unknown_version},
    {"first message is not a bootstrap", test_wrong_kind},
    {"length field does not match", test_length_mismatch},
    {"message shorter than a header", test_short_message},
    {"truncated attribute", test_truncated_attribute},
    {"truncated nested attribute", test_truncated_nested},
    {"string without NUL", test_not_a_string},
    {"u32 of the wrong size", test_wrong_u32_size},
    {"unknown attribute", test_unknown_attribute},
    {"plan without a process", test_no_process},
    {"unknown mode", test_unknown_mode},
    {"id maps refused by the parent", test_map_ids_refused},
    {NULL, NULL},
};
