#!/bin/busybox sh
# /init of the cgroup v2 lane's initramfs (lanes/cgroup2.sh builds it). Loads the virtio and 9p
# modules, makes the host's / (read-only over 9p) the lower layer of an overlay with a tmpfs
# upper, mounts the lane's writable result directory at the same path it has on the host, and
# switch_roots into the overlay (chroot would not do: the kernel refuses user namespaces to a
# chrooted caller). lane_top and lane_out come from the kernel command line.
/bin/busybox --install -s /bin
export PATH=/bin
fail() {
    echo "cgroup2 lane init: $*"
    echo o > /proc/sysrq-trigger
    sleep 60
}
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
# modules.order lists them dependencies first (from modules.dep, decompressed at build time).
while read -r m; do
    insmod "/modules/$m" || fail "insmod $m"
done < /modules.order

mkdir -p /lower /upper /newroot
mount -t 9p -o trans=virtio,version=9p2000.L,ro,cache=loose,msize=512000 host /lower || fail "mount the host's / over 9p"
mount -t tmpfs -o mode=755 upper /upper || fail "mount tmpfs"
mkdir -p /upper/data /upper/work
mount -t overlay -o lowerdir=/lower,upperdir=/upper/data,workdir=/upper/work overlay /newroot \
    || fail "mount the overlay"
mkdir -p "/newroot$lane_out"
mount -t 9p -o trans=virtio,version=9p2000.L,msize=512000 out "/newroot$lane_out" || fail "mount the result share"
umount /proc /sys
umount /dev
exec switch_root /newroot /bin/bash "$lane_top/lanes/cgroup2-guest.sh"
