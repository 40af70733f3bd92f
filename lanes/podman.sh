#!/usr/bin/env bash
# lanes/podman.sh NAME RUNTIME: Debian's podman with --runtime RUNTIME, as root and rootless (user
# berthlane), on a busybox image imported from a local rootfs. Private storage, run root and
# containers.conf: it never sees other containers of this machine. Prints PASS/FAIL per scenario.
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/lanes/lib.sh"
LANE_NAME=podman LANE_RUNTIME_NAME=$1 runtime=$2
LANE_WORK=$(mktemp -d /tmp/berth-lane-podman.XXXXXX)
chmod 755 "$LANE_WORK"
user=berthlane
image=localhost/busybox:lane

cleanup() {
    P rm -af >/dev/null 2>&1
    as_user P rm -af >/dev/null 2>&1
    rm -rf "$LANE_WORK" 2>/dev/null || true
}
trap cleanup EXIT

cat > "$LANE_WORK/containers.conf" <<CONF
[containers]
# The machine's root lacks CAP_SYS_RESOURCE: podman's default 1048576 cannot be set.
default_ulimits = ["nofile=1024:1024", "nproc=4096:4096"]
log_driver = "k8s-file"
[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
# As docs/clients.md says, under the runtime's own name (berth, or runc for the control).
runtime = "$LANE_RUNTIME_NAME"
runtime_supports_json = ["$LANE_RUNTIME_NAME"]
[engine.runtimes]
$LANE_RUNTIME_NAME = ["$runtime"]
CONF

P() { CONTAINERS_CONF="$LANE_WORK/containers.conf" podman --root "$LANE_WORK/storage" --runroot "$LANE_WORK/run" \
        --tmpdir "$LANE_WORK/tmp" "$@"; }
as_user() {
    runuser -u "$user" -- env CONTAINERS_CONF="$LANE_WORK/containers.conf" XDG_RUNTIME_DIR="$LANE_WORK/user/xdg" \
        HOME="$LANE_WORK/user" podman --root "$LANE_WORK/user/storage" --runroot "$LANE_WORK/user/run" \
        --tmpdir "$LANE_WORK/user/tmp" "${@:2}"
}

# The image: busybox-static in a rootfs tar, imported (no registry).
rootfs=$LANE_WORK/rootfs
mkdir -p "$rootfs/bin" "$rootfs/etc" "$rootfs/tmp"
cp "$(command -v busybox || echo /bin/busybox)" "$rootfs/bin/busybox"
for a in $("$rootfs/bin/busybox" --list); do [ -e "$rootfs/bin/$a" ] || ln -s busybox "$rootfs/bin/$a"; done
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' > "$rootfs/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' > "$rootfs/etc/group"
tar -C "$rootfs" -cf "$LANE_WORK/rootfs.tar" .
P import "$LANE_WORK/rootfs.tar" "$image" >/dev/null 2>&1

run_rm() {
    local out status
    out=$(P run --rm --network none "$image" sh -c 'echo out-$((6*7)); exit 3'); status=$?
    expect_eq "exit status" 3 "$status" && expect_eq output out-42 "$out"
}

missing_command() {
    local out
    out=$(P run --rm --network none "$image" no-such-command 2>&1) && { echo "succeeded: $out"; return 1; }
    expect_in "podman's error" 'no-such-command' "$out" && expect_in "podman's error" 'not found' "$out"
}

uidmap() {
    local out
    out=$(P run --rm --network none --uidmap 0:200000:65536 --gidmap 0:200000:65536 "$image" \
        sh -c 'cat /proc/self/uid_map' | tr -s ' ')
    expect_eq uid_map " 0 200000 65536" "$out"
}

detached_lifecycle() {
    local id state
    id=$(P run -d --network none "$image" sh -c 'echo started; trap "exit 0" TERM; while :; do sleep 1; done') || return 1
    sleep 1
    state=$(P inspect --format '{{.State.Status}}' "$id") || return 1
    expect_eq "state after run -d" running "$state" || return 1
    P ps --format '{{.ID}}' | grep -q "${id:0:12}" || { echo "not in podman ps"; return 1; }
    expect_eq logs started "$(P logs "$id")" || return 1
    P stop -t 5 "$id" >/dev/null || return 1
    state=$(P inspect --format '{{.State.Status}} {{.State.ExitCode}}' "$id")
    expect_eq "state after stop" "exited 0" "$state" || return 1
    P rm "$id" >/dev/null
}

exec_in_running() {
    local id out status
    id=$(P run -d --network none "$image" sleep 100) || return 1
    out=$(P exec "$id" sh -c 'echo exec-$((6*7)); exit 7'); status=$?
    local tty
    tty=$(P exec -t "$id" tty | grep -o '/dev/pts/[0-9]*' | head -1)
    P rm -f -t 0 "$id" >/dev/null
    expect_eq "exec exit status" 7 "$status" && expect_eq "exec output" exec-42 "$out" \
        && expect_eq "exec -t terminal" /dev/pts/0 "$tty"
}

run_tty() {
    local out
    # podman -t needs a terminal of its own: script gives it one.
    out=$(script -qec "LANE_WORK='$LANE_WORK'; $(declare -f P); P run --rm -t --network none $image tty" /dev/null \
        | grep -o '/dev/pts/[0-9]*' | head -1)
    expect_eq "the container's terminal" /dev/pts/0 "$out"
}

memory_limit() {
    local out
    out=$(P run --rm --memory 64m --network none "$image" cat /sys/fs/cgroup/memory/memory.limit_in_bytes \
        /sys/fs/cgroup/memory.max 2>/dev/null | head -1)
    expect_eq "memory limit inside" 67108864 "$out"
}

default_network() {
    local out
    out=$(P run --rm "$image" sh -c 'ip -4 addr show eth0 | grep -c inet') || return 1
    expect_eq "IPv4 addresses on eth0" 1 "$out"
}

rootless_setup() {
    id "$user" >/dev/null 2>&1 || useradd --no-create-home --shell /bin/sh "$user" || return 1
    grep -q "^$user:" /etc/subuid || usermod --add-subuids 500000-565535 --add-subgids 500000-565535 "$user" || return 1
    mkdir -p "$LANE_WORK/user/xdg" && chmod 700 "$LANE_WORK/user/xdg"
    cp "$LANE_WORK/rootfs.tar" "$LANE_WORK/user/"
    chown -R "$user:" "$LANE_WORK/user"
    as_user P import "$LANE_WORK/user/rootfs.tar" "$image" >/dev/null 2>&1
}

rootless_run() {
    local out
    out=$(as_user P run --rm --network none "$image" sh -c 'echo uid=$(id -u); exit 5'); local status=$?
    expect_eq "exit status" 5 "$status" && expect_eq output uid=0 "$out"
}

rootless_keep_id() {
    local out uid
    uid=$(id -u "$user")
    out=$(as_user P run --rm --userns=keep-id --network none "$image" id -u)
    expect_eq "uid inside with keep-id" "$uid" "$out"
}

rootless_detached() {
    local id
    id=$(as_user P run -d --network none "$image" sh -c 'trap "exit 0" TERM; while :; do sleep 1; done') || return 1
    sleep 1
    expect_eq state running "$(as_user P inspect --format '{{.State.Status}}' "$id")" || return 1
    as_user P stop -t 5 "$id" >/dev/null || return 1
    as_user P rm "$id" >/dev/null
}

rootless_network() {
    local out mode
    # Debian makes /dev/net/tun 0666; where it is not, slirp4netns cannot open it for the user.
    # The lane opens it for its run and puts the mode back.
    mode=$(stat -c %a /dev/net/tun 2>/dev/null) || skip "no /dev/net/tun"
    [ "$mode" = 666 ] || chmod 666 /dev/net/tun
    out=$(as_user P run --rm "$image" sh -c 'ip -4 addr show tap0 | grep -c inet'); local status=$?
    [ "$mode" = 666 ] || chmod "$mode" /dev/net/tun
    [ "$status" = 0 ] || return 1
    expect_eq "IPv4 addresses on tap0 (slirp4netns)" 1 "$out"
}

rootless_exec() {
    local id out
    id=$(as_user P run -d --network none "$image" sleep 100) || return 1
    out=$(as_user P exec "$id" sh -c 'echo exec-uid=$(id -u)')
    as_user P rm -f -t 0 "$id" >/dev/null
    expect_eq "rootless exec" exec-uid=0 "$out"
}

scenario run-rm-output-and-status run_rm
scenario error-reaches-the-user missing_command
scenario uidmap uidmap
scenario run-d-ps-logs-stop-rm detached_lifecycle
scenario exec-and-exec-t exec_in_running
scenario run-t-console-socket run_tty
scenario memory-limit memory_limit
scenario default-network default_network
scenario rootless-setup rootless_setup
scenario rootless-run rootless_run
scenario rootless-keep-id rootless_keep_id
scenario rootless-run-d-stop-rm rootless_detached
scenario rootless-exec rootless_exec
scenario rootless-default-network-slirp4netns rootless_network
lane_summary
