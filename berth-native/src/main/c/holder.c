/*
 * Holder mode (HELPER_HOLD): for `berth netns add` by an unprivileged user.
 * It creates a user namespace (berth writes its id maps) and a network
 * namespace owned by it, brings up lo, reports MSG_READY and then does
 * nothing but exist: the namespaces live as long as it does, and containers
 * join them by /proc/PID/ns/{user,net}. SIGTERM (berth netns delete) ends it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "berth.h"
#include "report.h"

/* A new network namespace starts with lo down; every program in it
 * expects 127.0.0.1 to answer. */
static void loopback_up(void) {
    int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (s < 0) fail_errno("holder", NULL, "socket for lo");
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    strcpy(ifr.ifr_name, "lo");
    if (ioctl(s, SIOCGIFFLAGS, &ifr) < 0) fail_errno("holder", NULL, "read the flags of lo");
    ifr.ifr_flags |= IFF_UP;
    if (ioctl(s, SIOCSIFFLAGS, &ifr) < 0) fail_errno("holder", NULL, "bring lo up");
    close(s);
}

/* Nothing of berth's may stay open here: a caller reading berth's output
 * to its end would wait for the holder too. */
static void detach(void) {
    int null = open("/dev/null", O_RDWR | O_CLOEXEC);
    if (null < 0) fail_errno("holder", "/dev/null", "open /dev/null");
    for (int fd = 0; fd < 3; fd++)
        if (dup2(null, fd) < 0) fail_errno("holder", NULL, "point fd %d at /dev/null", fd);
    close(null);
    if (chdir("/") < 0) fail_errno("holder", "/", "chdir to /");
    if (setsid() < 0) fail_errno("holder", NULL, "setsid");
}

noreturn void holder_mode(const struct plan *p) {
    ns_setup(p);
    loopback_up();
    detach();
    struct msg_out m;
    out_init(&m, MSG_READY);
    out_u32(&m, A_PID, (uint32_t)getpid());
    int r = out_send(report_fd, &m);
    if (r < 0) {
        errno = -r;
        fail_errno("holder", NULL, "tell berth the holder is ready");
    }
    close(report_fd);
    report_fd = -1;
    for (;;) pause();
}
