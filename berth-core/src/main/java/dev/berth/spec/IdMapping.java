package dev.berth.spec;

/** One line of a uid_map or gid_map: {@code size} ids from {@code containerId} map to {@code hostId}. */
public record IdMapping(long containerId, long hostId, long size) {
}
