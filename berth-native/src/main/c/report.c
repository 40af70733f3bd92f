#define _GNU_SOURCE
#include "report.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "wire.h"

int report_fd = BERTH_FD_SYNC;
int report_start_fd = -1;
uint32_t report_level = LOG_INFO;
static int exit_status = 1;

void report_set_status(int status) { exit_status = status; }

void report_stderr(const char *msg) {
    /* One write so that lines of concurrent processes do not interleave. */
    char line[WIRE_OUT_MAX + 16];
    int n = snprintf(line, sizeof line, "berth-init: %s\n", msg);
    if (n > (int)sizeof line - 1) n = (int)sizeof line - 1;
    /* Nothing is left to tell if stderr is gone too. */
    ssize_t written = write(STDERR_FILENO, line, (size_t)n);
    (void)written;
}

static noreturn void vfail(const char *step, int err, const char *path, bool with_errno, const char *fmt,
                           va_list ap) {
    char msg[WIRE_OUT_MAX / 2];
    int n = vsnprintf(msg, sizeof msg, fmt, ap);
    if (with_errno && n >= 0 && (size_t)n < sizeof msg)
        snprintf(msg + n, sizeof msg - (size_t)n, ": %s", strerror(err));
    static struct msg_out m;
    out_init(&m, MSG_ERROR);
    out_str(&m, A_STEP, step);
    out_u32(&m, A_ERRNO, (uint32_t)err);
    if (path) out_str(&m, A_PATH, path);
    out_str(&m, A_MESSAGE, msg);
    if (report_fd < 0 || out_send(report_fd, &m) < 0) report_stderr(msg);
    if (report_start_fd >= 0) {
        ssize_t written = write(report_start_fd, msg, strlen(msg));
        (void)written;
    }
    _exit(exit_status);
}

void fail(const char *step, int err, const char *path, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vfail(step, err, path, false, fmt, ap);
}

void fail_errno(const char *step, const char *path, const char *fmt, ...) {
    int err = errno;
    va_list ap;
    va_start(ap, fmt);
    vfail(step, err, path, true, fmt, ap);
}

void log_at(uint32_t level, const char *fmt, ...) {
    if (level > report_level || report_fd < 0) return;
    int saved = errno;
    char msg[WIRE_OUT_MAX / 2];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    static struct msg_out m;
    out_init(&m, MSG_LOG);
    out_u32(&m, A_LEVEL, level);
    out_str(&m, A_MESSAGE, msg);
    /* A log line that cannot be delivered is not worth failing for. */
    (void)out_send(report_fd, &m);
    errno = saved;
}
