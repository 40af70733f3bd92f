package dev.berth.api;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

/**
 * What `berth state` reports: the runtime-spec state plus runc's rootfs, created and owner.
 * {@code pid} is 0 when the container has no process (stopped, or creating before the init exists).
 */
public record ContainerState(
        String ociVersion,
        String id,
        Status status,
        int pid,
        Path bundle,
        Path rootfs,
        Instant created,
        String owner,
        Map<String, String> annotations) {}
