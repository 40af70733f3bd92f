package dev.berth.api;

/** The runtime-spec container states, plus runc's "paused". */
public enum Status {
    CREATING, CREATED, RUNNING, STOPPED, PAUSED;

    /** The lower-case name used in state JSON. */
    public String json() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
