/* Tests of the process security attributes (security.c), in exec mode so
 * that they need no root file system: capabilities, rlimits, no_new_privs,
 * the OOM score, an LSM attribute written to a fake attr file, and seccomp. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "tests.h"

static void plan_with(struct enc *e, const char *script) {
    enc_init(e, MSG_BOOTSTRAP);
    enc_u32(e, P_MODE, HELPER_EXEC);
    enc_u32(e, P_LOG_LEVEL, LOG_DEBUG);
    enc_begin(e, P_PROCESS);
    enc_str(e, PR_ARG, "/bin/busybox");
    enc_str(e, PR_ARG, "sh");
    enc_str(e, PR_ARG, "-c");
    enc_str(e, PR_ARG, script);
    enc_str(e, PR_ENV, "PATH=/bin");
    enc_str(e, PR_CWD, "/tmp");
}

static int own_oom_score(void) {
    char buf[16] = "";
    int fd = open("/proc/self/oom_score_adj", O_RDONLY);
    if (fd < 0 || read(fd, buf, sizeof buf - 1) < 0) buf[0] = 0;
    if (fd >= 0) close(fd);
    return atoi(buf);
}

int test_process_security(void) {
    if (geteuid() != 0) SKIP("needs root (capabilities to drop)");
    char attr[] = "/tmp/berth-test-attr-XXXXXX";
    int afd = mkstemp(attr);
    if (afd < 0) SKIP("mkstemp");
    close(afd);
    int oom = own_oom_score() + 7 > 1000 ? 1000 : own_oom_score() + 7;
    struct enc e;
    plan_with(&e, "grep -E '^(CapBnd|CapEff|CapPrm|CapInh|CapAmb|NoNewPrivs|Seccomp):' /proc/self/status | tr -d '\\t';"
                  "echo nofile=$(ulimit -n)/$(ulimit -Hn); echo oom=$(cat /proc/self/oom_score_adj)");
    enc_u64(&e, PR_CAPS_BOUNDING, 1u << 0 | 1u << 5); /* CAP_CHOWN, CAP_KILL */
    enc_u64(&e, PR_CAPS_EFFECTIVE, 1u << 5);
    enc_u64(&e, PR_CAPS_PERMITTED, 1u << 5);
    enc_u64(&e, PR_CAPS_INHERITABLE, 0);
    enc_u64(&e, PR_CAPS_AMBIENT, 0);
    enc_begin(&e, PR_RLIMIT);
    enc_u32(&e, A_RESOURCE, 7); /* RLIMIT_NOFILE */
    enc_u64(&e, A_SOFT, 77);
    enc_u64(&e, A_HARD, 88);
    enc_end(&e);
    enc_u32(&e, PR_NO_NEW_PRIVS, 1);
    enc_u32(&e, PR_OOM_SCORE_ADJ, (uint32_t)oom);
    enc_begin(&e, PR_LSM_ATTR);
    enc_str(&e, A_PATH, attr);
    enc_str(&e, A_VALUE, "exec berth-test-profile");
    enc_end(&e);
    struct sock_filter allow[] = {BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW)};
    enc_begin(&e, PR_SECCOMP);
    enc_bytes(&e, A_PROGRAM, allow, sizeof allow);
    enc_u64(&e, A_FLAGS, 0);
    enc_u32(&e, A_STAGE, SECCOMP_AT_EXEC);
    enc_end(&e);
    enc_end(&e);
    struct spawn_opts opts = {.fd4 = -1};
    struct helper h = spawn_helper(&opts);
    struct outcome o;
    converse(&h, &e, NULL, &o);
    char written[128] = "";
    int fd = open(attr, O_RDONLY);
    if (fd >= 0 && read(fd, written, sizeof written - 1) < 0) written[0] = 0;
    if (fd >= 0) close(fd);
    unlink(attr);
    char want_oom[32];
    snprintf(want_oom, sizeof want_oom, "oom=%d\n", oom);
    EXPECT(!o.error, "MSG_ERROR %s: %s", o.err_step, o.err_message);
    /* With no_new_privs, root's execve does not fill permitted up to the bounding set. */
    EXPECT(strstr(o.out, "CapBnd:0000000000000021\n"), "output \"%s\"", o.out);
    EXPECT(strstr(o.out, "CapPrm:0000000000000020\n"), "output \"%s\"", o.out);
    EXPECT(strstr(o.out, "CapEff:0000000000000020\n"), "output \"%s\"", o.out);
    EXPECT(strstr(o.out, "CapInh:0000000000000000\n"), "output \"%s\"", o.out);
    EXPECT(strstr(o.out, "NoNewPrivs:1\n"), "output \"%s\"", o.out);
    EXPECT(strstr(o.out, "Seccomp:2\n"), "output \"%s\"", o.out);
    EXPECT(strstr(o.out, "nofile=77/88\n"), "output \"%s\"", o.out);
    EXPECT(strstr(o.out, want_oom), "output \"%s\", want %s", o.out, want_oom);
    EXPECT(!strcmp(written, "exec berth-test-profile"), "attr file has \"%s\"", written);
    return PASS;
}

/* execCPUAffinity "final": the process runs on CPU 0 only. */
int test_cpu_affinity(void) {
    uint64_t mask = 1; /* CPU 0 */
    struct enc e;
    plan_with(&e, "grep Cpus_allowed_list: /proc/self/status | tr -d '\t'");
    enc_bytes(&e, PR_CPU_AFFINITY, &mask, sizeof mask);
    enc_end(&e);
    struct spawn_opts opts = {.fd4 = -1};
    struct helper h = spawn_helper(&opts);
    struct outcome o;
    converse(&h, &e, NULL, &o);
    EXPECT(!o.error, "MSG_ERROR %s: %s", o.err_step, o.err_message);
    EXPECT(!strcmp(o.out, "Cpus_allowed_list:0\n"), "output \"%s\"", o.out);
    return PASS;
}

/* A filter that answers mkdir and mkdirat with ERANGE and allows the rest. */
int test_seccomp_errno(void) {
    struct sock_filter prog[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_mkdir, 1, 0),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_mkdirat, 0, 1),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ERANGE),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
    };
    struct enc e;
    plan_with(&e, "mkdir /tmp/berth-test-seccomp-$$ 2>&1; echo rc=$?");
    enc_u32(&e, PR_NO_NEW_PRIVS, 1);
    enc_begin(&e, PR_SECCOMP);
    enc_bytes(&e, A_PROGRAM, prog, sizeof prog);
    enc_u64(&e, A_FLAGS, 0);
    enc_u32(&e, A_STAGE, SECCOMP_AT_EXEC);
    enc_end(&e);
    enc_end(&e);
    struct spawn_opts opts = {.fd4 = -1};
    struct helper h = spawn_helper(&opts);
    struct outcome o;
    converse(&h, &e, NULL, &o);
    EXPECT(!o.error, "MSG_ERROR %s: %s", o.err_step, o.err_message);
    EXPECT(strstr(o.out, "Numerical result out of range") && strstr(o.out, "rc=1\n"), "output \"%s\"", o.out);
    EXPECT(strstr(o.log_text, "load seccomp filter of 5 instructions"), "log:\n%s", o.log_text);
    return PASS;
}

/* A program that is not whole instructions is refused before it is loaded. */
int test_seccomp_bad_program(void) {
    struct enc e;
    plan_with(&e, "true");
    enc_u32(&e, PR_NO_NEW_PRIVS, 1);
    enc_begin(&e, PR_SECCOMP);
    enc_bytes(&e, A_PROGRAM, "12345", 5);
    enc_u32(&e, A_STAGE, SECCOMP_AT_EXEC);
    enc_end(&e);
    enc_end(&e);
    struct spawn_opts opts = {.fd4 = -1};
    struct helper h = spawn_helper(&opts);
    struct outcome o;
    converse(&h, &e, NULL, &o);
    EXPECT(o.error && !strcmp(o.err_step, "seccomp"), "error %d step \"%s\"", o.error, o.err_step);
    EXPECT(strstr(o.err_message, "not a whole number of BPF instructions"), "message \"%s\"", o.err_message);
    return PASS;
}
