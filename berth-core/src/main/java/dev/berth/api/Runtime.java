package dev.berth.api;

import java.nio.file.Path;
import java.util.List;

/**
 * The entry point of the library: one state directory ({@code --root}) and its containers.
 * Every method is one runtime operation, with the same semantics as the runc command of the
 * same name.
 */
public final class Runtime {
    private final Path root;
    private final Log log;

    private Runtime(Path root, Log log) {
        this.root = root;
        this.log = log;
    }

    /** /run/berth for root in the initial user namespace, $XDG_RUNTIME_DIR/berth for others. */
    public static Path defaultRoot() {
        throw new BerthException(BerthException.Kind.SYSTEM, "engine pending");
    }

    public static Runtime open(Path root, Log log) {
        return new Runtime(root, log);
    }

    public Path root() {
        return root;
    }

    public Log log() {
        return log;
    }

    /** Creates a container from the bundle; returns when its init waits for start. */
    public Container create(String id, Path bundle, CreateOptions options) {
        throw new BerthException(BerthException.Kind.SYSTEM, "engine pending");
    }

    /**
     * create + start. Detached, returns 0 once started. In the foreground, berth is the
     * subreaper, forwards signals to the init, deletes the container when it exits, and returns
     * its exit status (128+N when killed by signal N).
     */
    public int run(String id, Path bundle, CreateOptions options, boolean detach) {
        throw new BerthException(BerthException.Kind.SYSTEM, "engine pending");
    }

    /** The container with this id; {@link BerthException.Kind#NOT_FOUND} if there is none. */
    public Container get(String id) {
        throw new BerthException(BerthException.Kind.SYSTEM, "engine pending");
    }

    /** Every container in this root, sorted by id. */
    public List<Container> list() {
        throw new BerthException(BerthException.Kind.SYSTEM, "engine pending");
    }
}
