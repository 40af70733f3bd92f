package dev.berth.spec;

/** An offset of one clock in a new time namespace (linux.timeOffsets). */
public record TimeOffset(long secs, long nanosecs) {
}
