#!/usr/bin/env python3
"""A seccomp notify agent for SeccompIT: accepts one connection on the listener socket, keeps the
container process state it receives (JSON, with the notify descriptor in SCM_RIGHTS) in a file,
and answers every notified system call with the errno given, until the filter's last user is gone.

usage: seccomp-agent.py SOCKET STATE_FILE ERRNO
"""
import array
import os
import select
import socket
import struct
import sys

NOTIF_RECV = 0xC0502100  # _IOWR('!', 0, struct seccomp_notif), 80 bytes
NOTIF_SEND = 0xC0182101  # _IOWR('!', 1, struct seccomp_notif_resp), 24 bytes


def main():
    path, state_file, errno = sys.argv[1], sys.argv[2], int(sys.argv[3])
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(path)
    server.listen(1)
    server.settimeout(60)
    open(path + ".ready", "w").close()
    conn, _ = server.accept()
    fds = array.array("i")
    msg, anc, _, _ = conn.recvmsg(65536, socket.CMSG_SPACE(4))
    for level, kind, data in anc:
        if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
            fds.frombytes(data[: len(data) - len(data) % 4])
    with open(state_file + ".tmp", "w") as f:
        f.write(msg.decode())
    os.rename(state_file + ".tmp", state_file)
    if not fds:
        sys.exit("no descriptor arrived")
    import fcntl
    notify = fds[0]
    poller = select.poll()
    poller.register(notify, select.POLLIN)
    while True:
        events = poller.poll(30000)
        if not events or events[0][1] & (select.POLLHUP | select.POLLERR):
            break
        req = bytearray(80)
        try:
            fcntl.ioctl(notify, NOTIF_RECV, req, True)
        except OSError:
            continue
        (notif_id,) = struct.unpack_from("<Q", req, 0)
        resp = bytearray(struct.pack("<QqiI", notif_id, 0, -errno, 0))
        try:
            fcntl.ioctl(notify, NOTIF_SEND, resp, True)
        except OSError:
            pass


main()
