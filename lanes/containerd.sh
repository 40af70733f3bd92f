#!/usr/bin/env bash
# lanes/containerd.sh NAME RUNTIME: Debian's containerd and its runc v2 shim with BinaryName =
# RUNTIME (ctr --runc-binary), started by this script on a private socket, root and state
# directory, with a busybox image imported from an OCI archive built here. PASS/FAIL per scenario.
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/lanes/lib.sh"
LANE_NAME=containerd LANE_RUNTIME_NAME=$1 runtime=$2
LANE_WORK=$(mktemp -d /tmp/berth-lane-containerd.XXXXXX)
sock=$LANE_WORK/containerd.sock
image=localhost/busybox:lane
ns=berthlane

C() { ctr -a "$sock" -n "$ns" "$@"; }
cleanup() {
    for t in $(C tasks ls -q 2>/dev/null); do C tasks kill -s KILL "$t" >/dev/null 2>&1; done
    sleep 0.5
    for c in $(C containers ls -q 2>/dev/null); do C tasks delete -f "$c" >/dev/null 2>&1; C containers delete "$c" >/dev/null 2>&1; done
    [ -n "${daemon:-}" ] && kill "$daemon" 2>/dev/null && wait "$daemon" 2>/dev/null
    grep -q " $LANE_WORK" /proc/self/mountinfo || rm -rf "$LANE_WORK"
}
trap cleanup EXIT

cat > "$LANE_WORK/config.toml" <<CONF
version = 2
root = "$LANE_WORK/root"
state = "$LANE_WORK/state"
[grpc]
  address = "$sock"
[plugins."io.containerd.grpc.v1.cri"]
  disable = true
CONF
containerd --config "$LANE_WORK/config.toml" > "$LANE_WORK/containerd.log" 2>&1 &
daemon=$!
for _ in $(seq 100); do [ -S "$sock" ] && break; sleep 0.1; done
[ -S "$sock" ] || { echo "containerd did not start:"; cat "$LANE_WORK/containerd.log"; exit 1; }

rootfs=$LANE_WORK/rootfs
mkdir -p "$rootfs/bin" "$rootfs/etc" "$rootfs/tmp"
cp "$(command -v busybox || echo /bin/busybox)" "$rootfs/bin/busybox"
for a in $("$rootfs/bin/busybox" --list); do [ -e "$rootfs/bin/$a" ] || ln -s busybox "$rootfs/bin/$a"; done
printf 'root:x:0:0:root:/root:/bin/sh\n' > "$rootfs/etc/passwd"
python3 "$top/lanes/oci-archive.py" "$rootfs" "$LANE_WORK/image.tar" "$image"
C images import "$LANE_WORK/image.tar" >/dev/null

run_rm() {
    local out status
    out=$(C run --rm --runc-binary "$runtime" "$image" lane-run sh -c 'echo out-$((6*7)); exit 3'); status=$?
    expect_eq "exit status" 3 "$status" && expect_eq output out-42 "$out"
}

failing_container() {
    local out
    out=$(C run --rm --runc-binary "$runtime" "$image" lane-fail no-such-command 2>&1) && { echo "succeeded: $out"; return 1; }
    expect_in "ctr's error" 'no-such-command' "$out"
}

task_kill() {
    C run -d --runc-binary "$runtime" "$image" lane-kill sh -c 'while :; do sleep 1; done' >/dev/null || return 1
    sleep 1
    expect_eq status RUNNING "$(C tasks ls | awk '$1 == "lane-kill" {print $3}')" || return 1
    C tasks kill -s KILL lane-kill || return 1
    for _ in $(seq 50); do [ "$(C tasks ls | awk '$1 == "lane-kill" {print $3}')" = STOPPED ] && break; sleep 0.1; done
    expect_eq "status after kill" STOPPED "$(C tasks ls | awk '$1 == "lane-kill" {print $3}')" || return 1
    C tasks delete lane-kill >/dev/null && C containers delete lane-kill
}

task_exec() {
    local out status
    C run -d --runc-binary "$runtime" "$image" lane-exec sleep 100 >/dev/null || return 1
    out=$(C tasks exec --exec-id e1 lane-exec sh -c 'echo exec-$((6*7)); exit 7'); status=$?
    C tasks kill -s KILL lane-exec >/dev/null
    for _ in $(seq 50); do [ "$(C tasks ls | awk '$1 == "lane-exec" {print $3}')" = STOPPED ] && break; sleep 0.1; done
    C tasks delete lane-exec >/dev/null; C containers delete lane-exec
    expect_eq "exec exit status" 7 "$status" && expect_eq "exec output" exec-42 "$out"
}

run_tty() {
    local out
    out=$(script -qec "ctr -a '$sock' -n '$ns' run --rm --tty --runc-binary '$runtime' $image lane-tty tty" /dev/null \
        | grep -o '/dev/pts/[0-9]*' | head -1)
    expect_eq "the container's terminal" /dev/pts/0 "$out"
}

scenario run-rm-output-and-status run_rm
scenario error-reaches-the-user failing_container
scenario task-kill task_kill
scenario task-exec task_exec
scenario run-tty run_tty
lane_summary
