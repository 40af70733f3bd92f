/*
 * The one definition of the protocol between berth (Java) and berth-init.
 * dev.berth.plan.Protocol mirrors these constants; ProtocolHeaderTest parses
 * this file and fails when the two disagree, so edit both together.
 *
 * Wire format (all integers little-endian, native on every platform berth
 * runs on):
 *   message  := header attr*
 *   header   := u32 magic, u16 version, u16 kind, u32 length (whole message)
 *   attr     := u16 length (header + payload, unpadded), u16 type, payload,
 *               zero padding to a multiple of 4
 * A payload is a u32, a u64, a NUL-terminated string, raw bytes, or nested
 * attrs, according to the attribute type. Every message, in both directions, is
 * one SOCK_SEQPACKET datagram.
 */
#ifndef BERTH_PROTOCOL_H
#define BERTH_PROTOCOL_H

#define BERTH_MAGIC 0x48545242u /* "BRTH" read as little-endian bytes */
#define BERTH_PROTOCOL_VERSION 1
#define BERTH_HEADER_SIZE 12
#define BERTH_ATTR_HEADER_SIZE 4
#define BERTH_MAX_MESSAGE 262144

/* The descriptors berth-init is started with. */
#define BERTH_FD_SYNC 3      /* SOCK_SEQPACKET socket to the parent */
#define BERTH_FD_FIFO 4      /* exec.fifo opened O_PATH, or absent (-1 in plan) */
#define BERTH_FD_PIDFD 4     /* exec mode: a pidfd of the container's init, or absent */
#define BERTH_FD_PRESERVED 5 /* the first of P_PRESERVE_FDS descriptors for the process */

/* Message kinds (header.kind). */
#define MSG_BOOTSTRAP 1      /* parent -> helper: the plan, first message */
#define MSG_CHILD_PID 2      /* helper -> parent: A_PID = container init, host pid */
#define MSG_MAP_IDS 3        /* helper -> parent: write id maps for A_PID, then ACK */
#define MSG_HOOKS 4          /* helper -> parent: run prestart+createRuntime, then ACK */
#define MSG_ACK 5            /* parent -> helper: A_ERRNO (0 = go on), A_MESSAGE, A_STATE */
#define MSG_READY 6          /* helper -> parent: init waits on exec.fifo */
#define MSG_ERROR 7          /* helper -> parent: A_STEP A_ERRNO A_PATH A_MESSAGE */
#define MSG_LOG 8            /* helper -> parent: A_LEVEL A_MESSAGE */
#define MSG_SEND_FD 9        /* helper -> parent: A_NAME, one descriptor in SCM_RIGHTS */
#define MSG_EXECED 10        /* helper -> parent (exec mode): A_PID of the process */

/* Generic field attributes (payload type in brackets). */
#define A_PID 1              /* u32 */
#define A_ERRNO 2            /* u32 */
#define A_MESSAGE 3          /* string */
#define A_STEP 4             /* string: the operation that failed */
#define A_PATH 5             /* string */
#define A_LEVEL 6            /* u32: LOG_* below */
#define A_STATE 7            /* string, twice: state JSON for createContainer, then for startContainer */
#define A_NAME 8             /* string */
#define A_SOURCE 9           /* string */
#define A_TARGET 10          /* string: path inside the rootfs */
#define A_FSTYPE 11          /* string */
#define A_DATA 12            /* string: mount data */
#define A_FLAGS 13           /* u64: MS_* flags for mount(2) */
#define A_PROPAGATION 14     /* u64: MS_SHARED|MS_SLAVE|MS_PRIVATE|MS_UNBINDABLE [|MS_REC] */
#define A_ATTR_SET 15        /* u64: MOUNT_ATTR_* set recursively (mount_setattr) */
#define A_ATTR_CLR 16        /* u64: MOUNT_ATTR_* cleared recursively */
#define A_KIND 17            /* u32: TARGET_DIR or TARGET_FILE, or a HOOK_* kind */
#define A_MODE 18            /* u32: mode_t incl. S_IF* type */
#define A_MAJOR 19           /* u32 */
#define A_MINOR 20           /* u32 */
#define A_UID 21             /* u32 */
#define A_GID 22             /* u32 */
#define A_VALUE 23           /* string */
#define A_ARG 24             /* string, repeated, in order */
#define A_ENV 25             /* string, repeated, in order: NAME=value */
#define A_TIMEOUT 26         /* u32 seconds, 0 = none */
#define A_NSTYPE 27          /* u32: CLONE_NEW* of one namespace */
#define A_OFFSET_SEC 28      /* u64 (two's complement i64) */
#define A_OFFSET_NSEC 29     /* u32 */
#define A_CLOCK 30           /* u32: CLOCK_MONOTONIC or CLOCK_BOOTTIME */
#define A_OPTIONAL 31        /* u32: 1 = ENOENT on the target is not an error */
#define A_MODE_HELPER 32     /* u32: HELPER_CREATE or HELPER_EXEC */
#define A_IDMAP 33           /* u32: index of an idmapped tree among the descriptors of the MAP_IDS ACK */
#define A_RESOURCE 34        /* u32: RLIMIT_* number */
#define A_SOFT 35            /* u64: soft limit, RLIM_INFINITY = all ones */
#define A_HARD 36            /* u64: hard limit */
#define A_PROGRAM 37         /* bytes: a classic BPF program, struct sock_filter[] */
#define A_STAGE 38           /* u32: SECCOMP_AT_* below, where the filter is loaded */

/* Top-level plan attributes of MSG_BOOTSTRAP. Ordered ops (OP_*) run in the
 * init, in the order given; the others configure the stages. */
#define P_MODE 100           /* u32: HELPER_CREATE, HELPER_EXEC or HELPER_HOLD */
#define P_ROOTFS 101         /* string: absolute host path of the root file system */
#define P_JOIN_NS 102        /* nested: A_NSTYPE A_PATH; repeated */
#define P_NEW_NS 103         /* u32: CLONE_NEW* flags to unshare (CLONE_NEWUSER included) */
#define P_TIME_OFFSET 104    /* nested: A_CLOCK A_OFFSET_SEC A_OFFSET_NSEC; repeated */
#define P_PROCESS 105        /* nested: the process, see PR_* */
#define P_HOOK 106           /* nested: A_KIND A_PATH A_ARG* A_ENV* A_TIMEOUT; repeated */
#define P_FIFO 107           /* u32: 1 = wait on exec.fifo (BERTH_FD_FIFO) before execve */
#define P_LOG_LEVEL 108      /* u32: lowest LOG_* the helper reports */
#define P_JOIN_PIDFD 109     /* u32: 1 = BERTH_FD_PIDFD holds the init's pidfd; exec mode tries
                                setns(pidfd, every P_JOIN_NS type) before the ordered joins */
#define P_CONSOLE 110        /* u32: 1 = make a pty in the container's devpts, send its master
                                to berth (MSG_SEND_FD "console"), the slave becomes stdio */
#define P_PRESERVE_FDS 111   /* u32: N descriptors from BERTH_FD_PRESERVED on become 3..3+N-1
                                of the process (LISTEN_FDS and --preserve-fds) */

/* Process attributes, nested in P_PROCESS. */
#define PR_ARG 120           /* string, repeated: argv */
#define PR_ENV 121           /* string, repeated: envp */
#define PR_CWD 122           /* string */
#define PR_UID 123           /* u32 */
#define PR_GID 124           /* u32 */
#define PR_ADDITIONAL_GID 125 /* u32, repeated; setgroups(0 entries) when absent */
#define PR_UMASK 126         /* u32; absent = leave as is */
#define PR_EXECUTABLE 127    /* string: path of argv[0] already resolved by the parent, if it could */
/* Capability sets as bit masks (bit N = capability N). All five or none: none
 * leaves the capabilities as they are, as runc does without process.capabilities. */
#define PR_CAPS_BOUNDING 128  /* u64 */
#define PR_CAPS_EFFECTIVE 129 /* u64 */
#define PR_CAPS_PERMITTED 130 /* u64 */
#define PR_CAPS_INHERITABLE 131 /* u64 */
#define PR_CAPS_AMBIENT 132   /* u64 */
#define PR_RLIMIT 133        /* nested: A_RESOURCE A_SOFT A_HARD; repeated */
#define PR_NO_NEW_PRIVS 134  /* u32: 1 = prctl(PR_SET_NO_NEW_PRIVS) */
#define PR_OOM_SCORE_ADJ 135 /* u32 (two's complement i32): written to /proc/self/oom_score_adj */
#define PR_SECCOMP 136       /* nested: A_PROGRAM A_FLAGS (SECCOMP_FILTER_FLAG_*) A_STAGE */
#define PR_LSM_ATTR 137      /* nested: A_PATH A_VALUE: write the value to the process's own LSM
                                attribute (AppArmor or SELinux exec label); repeated */
#define PR_SCHED_ATTR 138    /* bytes: struct sched_attr for sched_setattr(0, attr, 0) */
#define PR_IOPRIO 139        /* u32: ioprio_set(IOPRIO_WHO_PROCESS, 0, value) */
#define PR_PERSONALITY 140   /* u32: personality(value) */
#define PR_CPU_AFFINITY 141  /* bytes: CPU mask (u64 words, bit N = CPU N) for sched_setaffinity;
                                exec mode only (execCPUAffinity "final") */
#define PR_CONSOLE_HEIGHT 142 /* u32: rows of the console (process.consoleSize) */
#define PR_CONSOLE_WIDTH 143 /* u32: columns of the console */

/* Ordered init operations. Targets are paths inside P_ROOTFS, resolved with
 * openat2(RESOLVE_IN_ROOT) so a symlink never leads out of the rootfs. */
#define OP_PREPARE_ROOT 200  /* A_PROPAGATION: make / that, then bind P_ROOTFS onto itself */
#define OP_MOUNT 201         /* A_SOURCE A_TARGET A_FSTYPE A_FLAGS A_DATA A_PROPAGATION
                                A_ATTR_SET A_ATTR_CLR A_KIND: create target, mount,
                                remount for bind flags, set propagation */
#define OP_MKNOD 202         /* A_TARGET A_MODE A_MAJOR A_MINOR A_UID A_GID */
#define OP_BIND_DEVICE 203   /* A_SOURCE (host) A_TARGET: file target, bind mount */
#define OP_SYMLINK 204       /* A_SOURCE (link text) A_TARGET; EEXIST is fine */
#define OP_HOOKS 205         /* MSG_HOOKS to the parent, wait ACK, then run
                                createContainer hooks here */
#define OP_PIVOT_ROOT 206    /* pivot_root into P_ROOTFS, detach the old root */
#define OP_CHROOT 207        /* --no-pivot: MS_MOVE P_ROOTFS to /, chroot */
#define OP_ROOT_PROPAGATION 208 /* A_PROPAGATION on / after the pivot */
#define OP_REMOUNT_ROOT_RO 209 /* remount / read-only, keeping its other flags */
#define OP_MASK_PATH 210     /* A_TARGET (absolute, after pivot): /dev/null or ro tmpfs */
#define OP_READONLY_PATH 211 /* A_TARGET: bind onto itself, remount read-only */
#define OP_SYSCTL 212        /* A_NAME (dotted) A_VALUE: write /proc/sys/... */
#define OP_HOSTNAME 213      /* A_VALUE */
#define OP_DOMAINNAME 214    /* A_VALUE */

/* A_KIND values. */
#define TARGET_DIR 1
#define TARGET_FILE 2
#define HOOK_CREATE_CONTAINER 3
#define HOOK_START_CONTAINER 4

/* A_STAGE values: where the seccomp filter is loaded. */
#define SECCOMP_AT_USER 1    /* before the user switch and capability drop (needs
                                CAP_SYS_ADMIN: no no_new_privs) */
#define SECCOMP_AT_READY 2   /* after the process settings, before MSG_READY (a
                                notify fd still reaches berth) */
#define SECCOMP_AT_EXEC 3    /* the last step before execve */

/* P_MODE values. */
#define HELPER_CREATE 1
#define HELPER_EXEC 2
#define HELPER_HOLD 3       /* hold a new user + network namespace until killed (holder.c) */

/* A_LEVEL values. */
#define LOG_ERROR 1
#define LOG_WARN 2
#define LOG_INFO 3
#define LOG_DEBUG 4

#endif
