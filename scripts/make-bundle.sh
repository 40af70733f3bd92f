#!/usr/bin/env bash
# make-bundle.sh DIR [--rootless]: a busybox bundle (rootfs from Debian's busybox-static and a
# config.json from `berth spec`) in DIR, ready for `berth run`.
set -euo pipefail
dir=$1; shift
top=$(cd "$(dirname "$0")/.." && pwd)
busybox=$(command -v busybox || echo /bin/busybox)
rm -rf "$dir"
mkdir -p "$dir/rootfs/bin" "$dir/rootfs/etc" "$dir/rootfs/tmp" "$dir/rootfs/proc" "$dir/rootfs/sys" "$dir/rootfs/dev"
cp "$busybox" "$dir/rootfs/bin/busybox"
for applet in $("$busybox" --list); do
    [ -e "$dir/rootfs/bin/$applet" ] || ln -s busybox "$dir/rootfs/bin/$applet"
done
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' > "$dir/rootfs/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' > "$dir/rootfs/etc/group"
chmod -R a+rX "$dir"
(cd "$dir" && "$top/bin/berth" spec "$@")
