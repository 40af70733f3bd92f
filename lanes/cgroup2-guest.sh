#!/bin/bash
# PID 1 of the cgroup v2 lane's guest (after the initramfs switch_roots into the overlay of the
# host's /). Mounts what a host has, with cgroup2 alone at /sys/fs/cgroup, runs the integration
# tests that $lane_out/job.env names with the JUnit console launcher, writes the launcher's exit
# status to $lane_out/status, and powers off. Nothing here enables a controller: the runtime under
# test must pass them down itself, as on a v2 host whose root delegates nothing yet.
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
out=$lane_out

poweroff_now() {
    sync
    umount "$out" 2>/dev/null
    echo o > /proc/sysrq-trigger
    sleep 60
}

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts /dev/shm /dev/mqueue
mount -t devpts -o newinstance,ptmxmode=0666,mode=620,gid=5 devpts /dev/pts
mount -t tmpfs -o mode=1777 shm /dev/shm
mount -t mqueue mqueue /dev/mqueue
# /tmp stays the overlay's (writable, in the guest's memory): a tmpfs there would hide this tree
# and the result share when the host keeps them under /tmp. The tests get a scratch directory of
# their own on /run, so nothing the host has in /tmp can meet their names.
mount -t tmpfs -o mode=755 run /run
mkdir -m 1777 /run/lane-tmp
export TMPDIR=/run/lane-tmp
mount -t cgroup2 -o nsdelegate cgroup2 /sys/fs/cgroup || { echo "no cgroup2" > "$out/why"; echo 1 > "$out/status"; poweroff_now; }
ip link set lo up 2>/dev/null
hostname berth-v2-lane

. "$out/job.env"
{
    echo "kernel: $(uname -r)"
    echo "cgroup mounts: $(grep cgroup /proc/mounts | tr '\n' ';')"
    echo "root controllers: $(cat /sys/fs/cgroup/cgroup.controllers)"
    echo "runtime: $LANE_RUNTIME ($("$LANE_RUNTIME" --version 2>&1 | head -n 1))"
    TIMEFORMAT="one '$LANE_RUNTIME state' call: %R s"
    time "$LANE_RUNTIME" --root /run/lane-probe state none >/dev/null 2>&1
    echo "block devices: $(cat /sys/block/*/dev 2>/dev/null | tr '\n' ' ')"
} > "$out/guest-facts.txt" 2>&1

start=$(date +%s)
# The tests' own JVM: the console launcher with the compiled test classes. -Xshare and a small
# heap keep its start-up short under software emulation.
"$JAVA_HOME/bin/java" -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xmx512m \
    -Djava.io.tmpdir=/run/lane-tmp -Dberth.it.runtime="$LANE_RUNTIME" \
    -jar "$LANE_LAUNCHER" execute --class-path "$LANE_TEST_CLASSES" $LANE_SELECT \
    --disable-banner --details=tree --details-theme=ascii --fail-if-no-tests \
    --config junit.jupiter.execution.parallel.enabled="${LANE_PARALLEL:-false}" \
    --config junit.jupiter.execution.parallel.mode.default=same_thread \
    --config junit.jupiter.execution.parallel.mode.classes.default=concurrent \
    --config junit.jupiter.execution.parallel.config.strategy=fixed \
    --config junit.jupiter.execution.parallel.config.fixed.parallelism=2 \
    --reports-dir "$out/reports" > "$out/tests.txt" 2>&1
echo $? > "$out/status"
echo "tests took $(( $(date +%s) - start )) s" >> "$out/guest-facts.txt"
poweroff_now
