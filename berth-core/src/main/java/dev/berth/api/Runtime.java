package dev.berth.api;

import dev.berth.engine.ContainerId;
import dev.berth.engine.Creation;
import dev.berth.engine.Foreground;
import dev.berth.engine.Rootness;
import dev.berth.state.StateStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The entry point of the library: one state directory ({@code --root}) and its containers.
 * Every method is one runtime operation, with the same semantics as the runc command of the
 * same name.
 */
public final class Runtime {
    private final StateStore store;
    private final Log log;

    private Runtime(Path root, Log log) {
        this.store = new StateStore(root);
        this.log = log;
    }

    /** /run/berth for root in the initial user namespace, $XDG_RUNTIME_DIR/berth for others. */
    public static Path defaultRoot() {
        if (Rootness.isRealRoot()) return Path.of("/run/berth");
        String xdg = System.getenv("XDG_RUNTIME_DIR");
        if (xdg != null && !xdg.isEmpty()) return Path.of(xdg, "berth");
        return Path.of("/run/user/" + Rootness.uid() + "/berth");
    }

    public static Runtime open(Path root, Log log) {
        return new Runtime(root, log);
    }

    public Path root() {
        return store.root();
    }

    public Log log() {
        return log;
    }

    /** Creates a container from the bundle; returns when its init waits for start. */
    public Container create(String id, Path bundle, CreateOptions options) {
        new Creation(store, log).create(id, bundle, options);
        return new Container(id, store, log);
    }

    /**
     * create + start. Detached, returns 0 once started. In the foreground, berth is the
     * subreaper, forwards signals to the init, deletes the container when it exits, and returns
     * its exit status (128+N when killed by signal N).
     */
    public int run(String id, Path bundle, CreateOptions options, boolean detach) {
        if (!detach) return new Foreground(store, log).run(id, bundle, options);
        Container c = create(id, bundle, options);
        try {
            c.start(options.notifySocket());
        } catch (BerthException e) {
            try {
                c.delete(true);
            } catch (BerthException cleanup) {
                log.warn(cleanup.getMessage());
            }
            throw e;
        }
        return 0;
    }

    /** The container with this id; {@link BerthException.Kind#NOT_FOUND} if there is none. */
    public Container get(String id) {
        ContainerId.check(id);
        if (!store.exists(id)) throw StateStore.notFound(id);
        return new Container(id, store, log);
    }

    /** Every container in this root, sorted by id. */
    public List<Container> list() {
        List<Container> list = new ArrayList<>();
        for (String id : store.ids()) list.add(new Container(id, store, log));
        return list;
    }
}
