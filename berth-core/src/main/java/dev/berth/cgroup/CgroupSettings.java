package dev.berth.cgroup;

import java.util.List;

/** What applying a resources section means on one host: file writes in order, and warnings. */
public record CgroupSettings(List<CgroupWrite> writes, List<String> warnings) {
    public CgroupSettings {
        writes = List.copyOf(writes);
        warnings = List.copyOf(warnings);
    }
}
