#!/usr/bin/env bash
# bench/run.sh: time berth against runc (and crun when installed) with hyperfine, side by side in
# one hyperfine run per scenario, and print the ratios to runc.
#
#   1. run       `RUNTIME run --bundle B ID` of /bin/true in a busybox bundle
#   2. cycle     `create` + `start` + `delete --force` of the same bundle (one script per runtime)
#
# Every runtime gets its own private --root and all use the same bundle and config.json.
# Environment: BERTH (default: bin/berth of this tree), RUNC (default: runc on PATH or
# /usr/sbin/runc), CRUN (default: crun on PATH, skipped if absent), RUNS (default 30),
# WARMUP (default 3), OUT (directory for the JSON exports; default: a temporary directory).
# Needs root (containers with namespaces and cgroups). Installs hyperfine with apt when missing.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
BERTH=${BERTH:-$top/bin/berth}
RUNC=${RUNC:-$(command -v runc || echo /usr/sbin/runc)}
CRUN=${CRUN:-$(command -v crun || true)}
RUNS=${RUNS:-30}
WARMUP=${WARMUP:-3}

die() { echo "bench: $*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || die "needs root (the runtimes create namespaces and cgroups)"
if ! command -v hyperfine >/dev/null; then
    echo "bench: installing hyperfine" >&2
    apt-get install -y hyperfine >/dev/null || die "cannot install hyperfine (apt-get install -y hyperfine)"
fi
command -v python3 >/dev/null || die "python3 is needed to compute the ratios"
busybox=$(command -v busybox || echo /bin/busybox)
[ -x "$busybox" ] || die "no busybox: apt-get install -y busybox-static"

# name=path pairs, berth first; runc is the reference of the ratios.
names=() paths=()
add() { [ -n "$2" ] || return 0; [ -x "$2" ] || die "$1: $2 is not executable"; names+=("$1"); paths+=("$2"); }
add berth "$BERTH"
add runc "$RUNC"
[ -n "$CRUN" ] && add crun "$CRUN"
"$BERTH" --version >/dev/null 2>&1 || die "berth at $BERTH does not run (build it with make, or set BERTH=...)"

work=$(mktemp -d /tmp/berth-bench.XXXXXX)
out=${OUT:-$work/results}
mkdir -p "$out"
id=bench-$$

cleanup() {
    for i in "${!names[@]}"; do
        "${paths[$i]}" --root "$work/root-${names[$i]}" delete --force "$id" >/dev/null 2>&1 || true
    done
    if grep -q " $work" /proc/self/mountinfo; then
        echo "bench: mounts left under $work, not removing it" >&2
    else
        rm -rf "$work"
    fi
}
trap cleanup EXIT

# The bundle: busybox rootfs, config.json from runc's spec (or berth's) running /bin/true.
bundle=$work/bundle
mkdir -p "$bundle/rootfs/bin" "$bundle/rootfs/etc" "$bundle/rootfs/proc" "$bundle/rootfs/sys" "$bundle/rootfs/dev" "$bundle/rootfs/tmp"
cp "$busybox" "$bundle/rootfs/bin/busybox"
for applet in $("$busybox" --list); do
    [ -e "$bundle/rootfs/bin/$applet" ] || ln -s busybox "$bundle/rootfs/bin/$applet"
done
printf 'root:x:0:0:root:/root:/bin/sh\n' > "$bundle/rootfs/etc/passwd"
printf 'root:x:0:\n' > "$bundle/rootfs/etc/group"
spec_runtime=$RUNC; [ -x "$spec_runtime" ] || spec_runtime=$BERTH
"$spec_runtime" spec --bundle "$bundle"
python3 - "$bundle/config.json" <<'EOF'
import json, sys
path = sys.argv[1]
with open(path) as f:
    c = json.load(f)
c["process"]["terminal"] = False
c["process"]["args"] = ["/bin/true"]
with open(path, "w") as f:
    json.dump(c, f, indent=2)
EOF

# One untimed round per runtime first: berth or runc failing to run the bundle stops here, not
# mid-benchmark; crun is optional and dropped with its error (crun 1.8 refuses cgroup v1 hybrid
# hosts: "cgroups in hybrid mode not supported").
keep_names=() keep_paths=()
for i in "${!names[@]}"; do
    n=${names[$i]} p=${paths[$i]} root=$work/root-${names[$i]}
    mkdir -p "$root"
    if "$p" --root "$root" run --bundle "$bundle" "$id" >"$work/probe-$n.log" 2>&1; then
        keep_names+=("$n"); keep_paths+=("$p")
    elif [ "$n" = crun ]; then
        echo "bench: skipping crun, it cannot run the bundle here: $(tail -1 "$work/probe-$n.log")" >&2
        "$p" --root "$root" delete --force "$id" >/dev/null 2>&1 || true
    else
        cat "$work/probe-$n.log" >&2
        die "$n cannot run the bundle"
    fi
done
names=("${keep_names[@]}") paths=("${keep_paths[@]}")

run_cmds=() cycle_cmds=()
for i in "${!names[@]}"; do
    n=${names[$i]} p=${paths[$i]} root=$work/root-${names[$i]}
    run_cmds+=("$p --root $root run --bundle $bundle $id")
    cat > "$work/cycle-$n.sh" <<EOF
#!/bin/sh
set -e
$p --root $root create --bundle $bundle $id
$p --root $root start $id
$p --root $root delete --force $id
EOF
    chmod +x "$work/cycle-$n.sh"
    cycle_cmds+=("/bin/sh $work/cycle-$n.sh")
done

interleave() { # labels and commands alternate: --command-name NAME CMD ...
    local -n cmds=$1
    args=()
    for i in "${!names[@]}"; do args+=(--command-name "${names[$i]}" "${cmds[$i]}"); done
}

echo "== run of /bin/true (runtimes: ${names[*]})"
interleave run_cmds
hyperfine -N --warmup "$WARMUP" --runs "$RUNS" --export-json "$out/run.json" "${args[@]}"
echo
echo "== create + start + delete --force"
interleave cycle_cmds
hyperfine -N --warmup "$WARMUP" --runs "$RUNS" --export-json "$out/cycle.json" "${args[@]}"

echo
python3 - "$out/run.json" "$out/cycle.json" <<'EOF'
import json, sys
print("%-8s %-8s %12s %12s %10s" % ("scenario", "runtime", "mean ms", "stddev ms", "vs runc"))
for path, scenario in zip(sys.argv[1:], ["run", "cycle"]):
    with open(path) as f:
        results = json.load(f)["results"]
    means = {r["command"]: r["mean"] for r in results}
    ref = means.get("runc")
    for r in results:
        ratio = "%9.2fx" % (r["mean"] / ref) if ref else "        -"
        print("%-8s %-8s %12.1f %12.1f %10s" % (scenario, r["command"], r["mean"] * 1000, r["stddev"] * 1000, ratio))
for path, scenario in zip(sys.argv[1:], ["run", "cycle"]):
    with open(path) as f:
        means = {r["command"]: r["mean"] for r in json.load(f)["results"]}
    if "berth" in means and "runc" in means:
        print("%s: berth/runc = %.2f" % (scenario, means["berth"] / means["runc"]))
EOF
[ -n "${OUT:-}" ] && echo "JSON exports in $out"
exit 0
