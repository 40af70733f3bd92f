package dev.berth.api;

/** One container in a {@link Runtime}'s state directory. */
public final class Container {
    private final String id;

    Container(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    /** The current state; the status is read from the process, not cached. */
    public ContainerState state() {
        throw new BerthException(BerthException.Kind.SYSTEM, "engine pending");
    }

    /** Runs the user process of a created container (runc start). */
    public void start() {
        throw new BerthException(BerthException.Kind.SYSTEM, "engine pending");
    }

    /** Sends a signal to the init, or with {@code all} to every process of the container. */
    public void kill(int signal, boolean all) {
        throw new BerthException(BerthException.Kind.SYSTEM, "engine pending");
    }

    /**
     * Deletes a stopped or created container; a running one only with {@code force}
     * (it is killed first). Runs poststop hooks, removes cgroups and state.
     */
    public void delete(boolean force) {
        throw new BerthException(BerthException.Kind.SYSTEM, "engine pending");
    }
}
