#!/usr/bin/env bash
# make demo: one container as root, and one as an unprivileged user.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
berth=$top/bin/berth
work=$top/build/demo
mkdir -p "$work"

say() { printf '\n\033[1m%s\033[0m\n' "$*"; }

edit_config() { # edit_config FILE: no terminal, and a command that shows where it runs
    python3 - "$1" <<'PY'
import json, sys
p = sys.argv[1]
c = json.load(open(p))
c["process"]["terminal"] = False
c["process"]["args"] = ["sh", "-c", "echo \"hello from $(hostname): pid $$, uid $(id -u), $(cat /proc/self/uid_map | tr -s ' ' | head -1)\"; ls /"]
json.dump(c, open(p, "w"), indent=2)
PY
}

say "A container as $(id -un):"
bash "$top/scripts/make-bundle.sh" "$work/bundle"
edit_config "$work/bundle/config.json"
echo "\$ berth run --bundle $work/bundle demo"
"$berth" --root "$work/state" run --bundle "$work/bundle" "demo-$$"

if [ "$(id -u)" = 0 ]; then
    user=berthdemo
    id "$user" >/dev/null 2>&1 || useradd --create-home --shell /bin/bash "$user"
    uid=$(id -u "$user")
    say "A rootless container, as $user (uid $uid):"
    rdir=/tmp/berth-demo-$user
    rm -rf "$rdir"
    runuser -u "$user" -- bash "$top/scripts/make-bundle.sh" "$rdir/bundle" --rootless
    edit_config "$rdir/bundle/config.json"
    chown -R "$user:" "$rdir"
    echo "\$ runuser -u $user -- berth run --bundle $rdir/bundle demo"
    runuser -u "$user" -- env XDG_RUNTIME_DIR="$rdir/run" "$berth" run --bundle "$rdir/bundle" "demo-$$"
else
    say "(run make demo as root to also see a rootless container started by a new unprivileged user)"
fi
