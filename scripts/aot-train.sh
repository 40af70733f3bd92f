#!/usr/bin/env bash
# aot-train.sh OUT: writes berth's AOT cache to OUT (design.md §8). One JVM (AotTraining) runs the
# commands people run most — as root on a busybox bundle: run, create/start/state/delete, exec,
# kill, ps, pause/resume, update, events, and a failing create — and the JVM writes what it
# loaded, linked and profiled to OUT as it exits. bin/berth passes OUT to every later JVM; the
# JVM ignores it if the jars or the JVM changed since (so a stale cache is slow, never wrong).
set -euo pipefail
out=$1
top=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d /tmp/berth-aot.XXXXXX)
root=$work/state
id=aot-$$
cleanup() {
    "$top/bin/berth" --root "$root" delete --force "$id-d" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT

commands=$work/commands
{
    echo "--version"
    echo "spec --bundle $work/spec"
    echo "spec --rootless --bundle $work/spec-rootless"
    echo "features"
    echo "--root $root list"
    echo "--root $root state $id-missing"
} > "$commands"
mkdir -p "$work/spec" "$work/spec-rootless"

busybox=$(command -v busybox || echo /bin/busybox)
if [ "$(id -u)" = 0 ] && [ -x "$busybox" ]; then
    bash "$top/scripts/make-bundle.sh" "$work/bundle" >/dev/null
    b=$work/bundle
    python3 - "$work" <<'PY'
import json, os, sys
work = sys.argv[1]
c = json.load(open(f"{work}/bundle/config.json"))
c["process"]["terminal"] = False
c["root"]["path"] = f"{work}/bundle/rootfs"
for name, args in {"bundle": ["sleep", "1000"], "true": ["true"], "bad": ["no-such-program"]}.items():
    os.makedirs(f"{work}/{name}", exist_ok=True)
    c["process"]["args"] = args
    json.dump(c, open(f"{work}/{name}/config.json", "w"))
PY
    {
        for i in 1 2 3; do echo "--root $root run --bundle $work/true $id-run$i"; done
        for i in 1 2; do
            echo "--root $root create --bundle $work/true $id-c$i"
            echo "--root $root state $id-c$i"
            echo "--root $root start $id-c$i"
            echo "--root $root delete --force $id-c$i"
        done
        echo "--root $root run --bundle $work/bad $id-bad"
        echo "--root $root run -d --bundle $b $id-d"
        echo "--root $root list"
        for i in 1 2; do echo "--root $root exec $id-d true"; done
        echo "--root $root ps $id-d"
        echo "--root $root pause $id-d"
        echo "--root $root resume $id-d"
        echo "--root $root update --pids-limit 100 $id-d"
        echo "--root $root events --stats $id-d"
        echo "--root $root kill $id-d KILL"
        echo "--root $root delete --force $id-d"
    } >> "$commands"
else
    echo "aot-train: container commands not trained (they need root and busybox)" >&2
fi
rm -f "$out"
BERTH_AOT_OUTPUT=$out "$top/bin/berth" "$commands" > "$work/log" 2>&1 || { cat "$work/log" >&2; exit 1; }
[ -s "$out" ] || { cat "$work/log" >&2; echo "aot-train: the JVM wrote no cache to $out" >&2; exit 1; }
