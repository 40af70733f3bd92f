/* Failures and log lines, sent to the parent as MSG_ERROR and MSG_LOG. */
#ifndef BERTH_REPORT_H
#define BERTH_REPORT_H

#include <stdint.h>
#include <stdnoreturn.h>

/* The socket to the parent; -1 once it is closed (after MSG_READY), from
 * then on failures go to stderr. */
extern int report_fd;
/* exec.fifo once berth start has opened it: a failure between start and execve is written
 * there, and execve closes it, so start learns whether the process runs. -1 before. */
extern int report_start_fd;
/* Lowest LOG_* sent (P_LOG_LEVEL). */
extern uint32_t report_level;

/* "berth-init: <msg>" on stderr, for when there is no berth to tell. */
void report_stderr(const char *msg);

/* The exit status of a failure: 1, or 127 when the final execve failed. */
void report_set_status(int status);

/* Reports {step, err, path, message} and exits. */
noreturn void fail(const char *step, int err, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* As fail, with errno as the error and ": <strerror>" appended. */
noreturn void fail_errno(const char *step, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

void log_at(uint32_t level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#define log_debug(...) log_at(LOG_DEBUG, __VA_ARGS__)

#endif
