#!/usr/bin/env bash
# lanes/cgroup2.sh NAME RUNTIME: the cgroup integration tests on a pure cgroup v2 host. Boots
# Debian's kernel under qemu (software emulation: KVM guests hang on these machines) with a
# busybox initramfs that switch_roots into an overlay of this host's / (read-only over 9p) with
# a tmpfs on top, cgroup2 alone at /sys/fs/cgroup, and runs the tests there against RUNTIME.
# The guest writes its results to build/cgroup2/out-NAME (a writable 9p share). Fails — never
# passes quietly — when qemu, the kernel or the guest cannot do its part.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
name=$1 runtime=$2
build=$top/build/cgroup2
out=$build/out-$name
launcher=$(ls "$build"/junit-platform-console-standalone-*.jar 2>/dev/null | tail -n 1)
test_classes=$top/berth-it/target/test-classes
# The ITs whose subject is the container's cgroup: limits, the commands on it, device rules,
# rootless cgroups; and the methods of other ITs that look at the cgroup (its namespace, its
# mount, its removal, kill --all). BERTH_V2_TESTS="A B#m" runs only those (when working on one).
v2_tests="CgroupLimitsIT CgroupCommandsIT DevicesIT RootlessCgroupIT
    NamespacesIT#newPidUtsIpcNetMountAndCgroupNamespaces NamespacesIT#withoutACgroupNamespaceTheProcessSeesItsCgroupsPath
    NamespacesIT#createdContainerIsInItsCgroupsOnTheHost MountsIT#specialFileSystemsOfTheDefaultSpec
    LifecycleIT#deleteOfACreatedContainerKillsItsInit LifecycleIT#deleteOfARunningContainerNeedsForce
    KillIT#killAllSignalsEveryProcessOfTheContainer"
read -r -d '' -a tests <<< "${BERTH_V2_TESTS:-$v2_tests}"
# Seconds the guest may take before the lane gives up on it.
guest_timeout=${BERTH_V2_TIMEOUT:-900}

lane_fail() {
    echo "FAIL cgroup2/$name: $*"
    exit 1
}

case $top in
    /run/* | /proc/* | /sys/* | /dev/*) lane_fail "the guest mounts its own $(echo "$top" | cut -d/ -f2) over this tree ($top): run it from elsewhere" ;;
esac
qemu=$(command -v qemu-system-x86_64) || lane_fail "no qemu-system-x86_64 (apt-get install qemu-system-x86)"
kernel=$(ls /boot/vmlinuz-* 2>/dev/null | sort -V | tail -n 1)
[ -n "$kernel" ] || lane_fail "no kernel in /boot (apt-get install linux-image-amd64)"
version=${kernel#/boot/vmlinuz-}
modules=/lib/modules/$version
[ -f "$modules/modules.dep" ] || lane_fail "no $modules/modules.dep for the kernel $version"
[ -x "$runtime" ] || lane_fail "runtime $runtime is not executable"
[ -n "$launcher" ] || lane_fail "no JUnit console launcher in $build (make v2-test fetches it)"
[ -d "$test_classes/dev/berth/it" ] || lane_fail "no compiled tests in $test_classes (make v2-test compiles them)"
java_home=$("$top/bin/find-jdk") || lane_fail "no JDK 25 for the tests' JVM"
busybox=$(command -v busybox || echo /bin/busybox)
[ -x "$busybox" ] || lane_fail "no busybox (apt-get install busybox-static)"

# deps_first MODULE: MODULE's path in modules.dep after the paths of its dependencies.
declare -A listed=()
deps_first() {
    local path deps d
    path=$(awk -F: -v m="$1" '{ n = $1; sub(/.*\//, "", n); sub(/\.ko(\.xz|\.zst|\.gz)?$/, "", n); gsub(/-/, "_", n) }
        n == m { print $1; exit }' "$modules/modules.dep")
    [ -n "$path" ] || return 0 # built into the kernel
    deps=$(awk -F: -v p="$path" '$1 == p { print $2; exit }' "$modules/modules.dep")
    for d in $deps; do
        d=${d##*/}; d=${d%%.ko*}
        deps_first "${d//-/_}"
    done
    if [ -z "${listed[$path]:-}" ]; then
        listed[$path]=1
        echo "$path"
    fi
}

# The initramfs: busybox, /init and the modules (decompressed: busybox insmod reads plain .ko).
build_initramfs() {
    local root=$build/initramfs m base
    rm -rf "$root" && mkdir -p "$root/bin" "$root/modules" "$root/proc" "$root/sys" "$root/dev"
    cp "$busybox" "$root/bin/busybox"
    cp "$top/lanes/cgroup2-init.sh" "$root/init" && chmod 755 "$root/init"
    : > "$root/modules.order"
    for m in virtio_pci virtio_blk 9pnet_virtio 9p overlay; do
        deps_first "$m"
    done > "$build/modules.list" || return 1
    while read -r m; do
        base=${m##*/}
        case $m in
            *.xz) xz -dc "$modules/$m" > "$root/modules/${base%.xz}"; base=${base%.xz} ;;
            *.zst) zstd -qdc "$modules/$m" > "$root/modules/${base%.zst}"; base=${base%.zst} ;;
            *.gz) gzip -dc "$modules/$m" > "$root/modules/${base%.gz}"; base=${base%.gz} ;;
            *) cp "$modules/$m" "$root/modules/$base" ;;
        esac || return 1
        echo "$base" >> "$root/modules.order"
    done < "$build/modules.list"
    (cd "$root" && find . | "$busybox" cpio -o -H newc 2>/dev/null | gzip -1) > "$build/initramfs-$version.gz"
}

mkdir -p "$build"
build_initramfs || lane_fail "could not build the initramfs from $modules"

rm -rf "$out" && mkdir -p "$out"
select=""
for t in "${tests[@]}"; do
    case $t in
        *#*) select="$select --select-method dev.berth.it.$t" ;;
        *) select="$select --select-class dev.berth.it.$t" ;;
    esac
done
cat > "$out/job.env" <<JOB
JAVA_HOME=$java_home
LANE_RUNTIME=$runtime
LANE_LAUNCHER=$launcher
LANE_TEST_CLASSES=$test_classes
LANE_SELECT="$select"
LANE_PARALLEL=${BERTH_V2_PARALLEL:-true}
JOB

# A scratch disk, so that the guest has a block device for blockIO's per-device limits.
truncate -s 16M "$build/disk.img"

started=$(date +%s)
# -nodefaults: no VGA or network card; the serial console goes to a file (CI has no terminal).
timeout "$guest_timeout" "$qemu" -nodefaults -no-reboot -display none -monitor none \
    -accel tcg,thread=multi -cpu max -smp 2 -m 3072 \
    -kernel "$kernel" -initrd "$build/initramfs-$version.gz" \
    -append "console=ttyS0 panic=-1 cgroup_no_v1=all lane_top=$top lane_out=$out" \
    -virtfs local,path=/,mount_tag=host,security_model=none,readonly=on,multidevs=remap \
    -virtfs local,path="$out",mount_tag=out,security_model=none \
    -drive file="$build/disk.img",if=virtio,format=raw \
    -serial file:"$out/console.log" </dev/null
qemu_status=$?
took=$(( $(date +%s) - started ))

if [ "$qemu_status" -eq 124 ]; then
    tail -n 30 "$out/console.log" | sed 's/^/    /'
    lane_fail "the guest did not finish in $guest_timeout s"
fi
if [ ! -f "$out/status" ]; then
    tail -n 30 "$out/console.log" | sed 's/^/    /'
    lane_fail "the guest wrote no result (qemu exit status $qemu_status); its console is above"
fi
sed 's/^/    /' "$out/guest-facts.txt"
status=$(cat "$out/status")
summary=$(grep -E '^\[ +[0-9]+ tests (found|successful|failed|skipped|aborted)' "$out/tests.txt" | tr -s ' ' | tr '\n' ' ')
if [ "$status" != 0 ]; then
    grep -E '\[X\]|=>|Exception|Error' "$out/tests.txt" | head -n 60 | sed 's/^/    /'
    lane_fail "tests failed in the guest ($took s): $summary; details in $out/tests.txt"
fi
echo "PASS cgroup2/$name: ${#tests[@]} test classes and methods on cgroup v2 ($version, $took s): $summary"
