package dev.berth.spec;

import java.util.Set;

/**
 * The one list of config.json fields that berth understands but does not apply yet. A config
 * that sets one of them still runs (runtime-spec does not allow refusing it), with a warning
 * "config.json: process.capabilities is not applied by this berth version". Remove a field here
 * in the change that implements it. Paths use "[]" for any array index.
 */
final class NotApplied {
    private NotApplied() {}

    static final Set<String> FIELDS = Set.of(
            "linux.intelRdt",
            "linux.netDevices",
            "linux.memoryPolicy");

    /** Fields defined for other platforms than Linux: accepted and ignored with a warning. */
    static final Set<String> OTHER_PLATFORMS = Set.of(
            "process.commandLine",
            "process.user.username",
            "solaris",
            "windows",
            "vm",
            "zos");
}
