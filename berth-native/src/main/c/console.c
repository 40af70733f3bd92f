/*
 * The container's terminal, as runc's docs/terminals.md describes it: a pty made in the
 * container's own devpts instance, whose master goes to berth (which hands it to the
 * --console-socket or copies it to its own terminal) and whose slave becomes the process's
 * stdio and controlling terminal.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "berth.h"
#include "report.h"

#ifndef TIOCGPTPEER
#define TIOCGPTPEER _IO('T', 0x41)
#endif

static void send_master(int master) {
    static struct msg_out m;
    out_init(&m, MSG_SEND_FD);
    out_str(&m, A_NAME, "console");
    int r = out_send_fd(report_fd, &m, master);
    if (r < 0) {
        errno = -r;
        fail_errno("console", NULL, "send the console to berth");
    }
}

void console_setup(const struct plan *p) {
    log_debug("console: open /dev/ptmx");
    /* /dev/ptmx of the container: a link to its devpts's ptmx, so the pty is numbered there. */
    int master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (master < 0) fail_errno("console", "/dev/ptmx", "open /dev/ptmx");
    int unlock = 0;
    if (ioctl(master, TIOCSPTLCK, &unlock) < 0) fail_errno("console", NULL, "unlock the pty");
    /* Opened through the master, not by a path in /dev/pts that the container could replace. */
    int slave = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (slave < 0) fail_errno("console", NULL, "open the pty's slave");
    struct winsize ws = {.ws_row = (unsigned short)attrs_u32(p->process, PR_CONSOLE_HEIGHT, 0),
                         .ws_col = (unsigned short)attrs_u32(p->process, PR_CONSOLE_WIDTH, 0)};
    if ((ws.ws_row || ws.ws_col) && ioctl(slave, TIOCSWINSZ, &ws) < 0)
        fail_errno("console", NULL, "set the console size to %ux%u", ws.ws_col, ws.ws_row);
    /* The process may switch to another user and still reopen its terminal (/dev/tty). */
    if (fchown(slave, attrs_u32(p->process, PR_UID, 0), (gid_t)-1) < 0)
        log_debug("console: chown the pty: %s", strerror(errno));
    send_master(master);
    close(master);
    if (ioctl(slave, TIOCSCTTY, 0) < 0) fail_errno("console", NULL, "make the pty the controlling terminal");
    for (int fd = 0; fd < 3; fd++)
        if (dup2(slave, fd) < 0) fail_errno("console", NULL, "use the pty as fd %d", fd);
    close(slave);
}
