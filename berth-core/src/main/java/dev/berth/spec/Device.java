package dev.berth.spec;

/**
 * One entry of linux.devices. {@code fileMode}, {@code uid} and {@code gid} are null when the
 * config leaves them out; the plan supplies runc's defaults (0666, 0, 0).
 */
public record Device(String type, String path, long major, long minor, Long fileMode, Long uid, Long gid) {
}
