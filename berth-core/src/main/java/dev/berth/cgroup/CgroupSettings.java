package dev.berth.cgroup;

import dev.berth.spec.Resources.DeviceRule;
import java.util.List;

/**
 * What applying a resources section means on one host: file writes in order, warnings, and on
 * cgroup v2 the device rules for the eBPF device program (null: leave the devices alone).
 */
public record CgroupSettings(List<CgroupWrite> writes, List<String> warnings, List<DeviceRule> v2DeviceRules) {
    public CgroupSettings {
        writes = List.copyOf(writes);
        warnings = List.copyOf(warnings);
        v2DeviceRules = v2DeviceRules == null ? null : List.copyOf(v2DeviceRules);
    }

    public CgroupSettings(List<CgroupWrite> writes, List<String> warnings) {
        this(writes, warnings, null);
    }
}
