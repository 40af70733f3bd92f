package dev.berth.cgroup;

import dev.berth.spec.Device;
import dev.berth.spec.Resources.DeviceRule;
import java.util.ArrayList;
import java.util.List;

/**
 * The device rules a container's devices cgroup gets, in runc's order: linux.resources.devices,
 * then runc's default allowed devices, then every device of linux.devices (so that the devices
 * a config creates can be used). The list always starts from "deny everything", as runc's
 * emulator does, so a config without rules still gets only the defaults.
 */
public final class DeviceRules {
    private DeviceRules() {}

    /**
     * runc's AllowedDevices: mknod of any device (the file is useless without r/w), the standard
     * character devices, /dev/pts/*, /dev/ptmx and /dev/net/tun.
     */
    static final List<DeviceRule> DEFAULTS = List.of(
            new DeviceRule(true, 'c', -1, -1, "m"),
            new DeviceRule(true, 'b', -1, -1, "m"),
            new DeviceRule(true, 'c', 1, 3, "rwm"),     // null
            new DeviceRule(true, 'c', 1, 8, "rwm"),     // random
            new DeviceRule(true, 'c', 1, 7, "rwm"),     // full
            new DeviceRule(true, 'c', 5, 0, "rwm"),     // tty
            new DeviceRule(true, 'c', 1, 5, "rwm"),     // zero
            new DeviceRule(true, 'c', 1, 9, "rwm"),     // urandom
            new DeviceRule(true, 'c', 136, -1, "rwm"),  // pts
            new DeviceRule(true, 'c', 5, 2, "rwm"),     // ptmx
            new DeviceRule(true, 'c', 10, 200, "rwm")); // tun

    public static List<DeviceRule> of(List<DeviceRule> configured, List<Device> linuxDevices) {
        List<DeviceRule> rules = new ArrayList<>();
        rules.add(new DeviceRule(false, 'a', -1, -1, "rwm"));
        rules.addAll(configured);
        rules.addAll(DEFAULTS);
        for (Device d : linuxDevices) {
            // "u" (unbuffered) is a character device to the kernel; a fifo needs no rule.
            if (d.type().equals("p")) continue;
            char t = d.type().equals("b") ? 'b' : 'c';
            rules.add(new DeviceRule(true, t, d.major(), d.minor(), "rwm"));
        }
        return rules;
    }
}
