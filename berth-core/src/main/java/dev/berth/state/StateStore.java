package dev.berth.state;

import dev.berth.api.BerthException;
import dev.berth.json.Json;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The state directory: one directory per container holding state.json, exec.fifo and a lock
 * file. state.json is replaced atomically (temporary file, fsync, rename) so a reader never
 * sees half of it, even when berth is killed while writing.
 */
public final class StateStore {
    public static final String STATE_FILE = "state.json";
    public static final String FIFO = "exec.fifo";
    private static final String LOCK = ".lock";

    private final Path root;

    public StateStore(Path root) {
        this.root = root;
    }

    public Path root() {
        return root;
    }

    public Path dir(String id) {
        return root.resolve(id);
    }

    public Path fifo(String id) {
        return dir(id).resolve(FIFO);
    }

    /** Makes the container's directory; EXISTS if the id is taken. */
    public Path createDir(String id) {
        try {
            Files.createDirectories(root);
            setMode(root, "rwx------");
            Path d = dir(id);
            Files.createDirectory(d);
            setMode(d, "rwx--x--x");
            return d;
        } catch (FileAlreadyExistsException e) {
            throw new BerthException(BerthException.Kind.EXISTS, "container with id exists: " + id);
        } catch (IOException e) {
            throw io("create state directory " + dir(id), e);
        }
    }

    /** Holds the container's lock until closed; every command that changes a container takes it. */
    public AutoCloseable lock(String id) {
        try {
            FileChannel ch = FileChannel.open(dir(id).resolve(LOCK), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
            FileLock lock = ch.lock();
            return () -> {
                lock.release();
                ch.close();
            };
        } catch (NoSuchFileException e) {
            throw notFound(id);
        } catch (IOException e) {
            throw io("lock container " + id, e);
        }
    }

    public boolean exists(String id) {
        return Files.isDirectory(dir(id));
    }

    public ContainerRecord read(String id) {
        String text;
        try {
            text = Files.readString(dir(id).resolve(STATE_FILE));
        } catch (NoSuchFileException e) {
            throw notFound(id);
        } catch (IOException e) {
            throw io("read state of " + id, e);
        }
        return fromJson(Json.parse(text, dir(id).resolve(STATE_FILE).toString()));
    }

    public void write(ContainerRecord r) {
        Path d = dir(r.id());
        Path tmp = d.resolve(STATE_FILE + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(java.nio.ByteBuffer.wrap(Json.write(toJson(r), false).getBytes(
                    java.nio.charset.StandardCharsets.UTF_8)));
            ch.force(true);
        } catch (IOException e) {
            throw io("write state of " + r.id(), e);
        }
        try {
            Files.move(tmp, d.resolve(STATE_FILE), StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            throw io("write state of " + r.id(), e);
        } catch (IOException e) {
            throw io("write state of " + r.id(), e);
        }
    }

    /** The ids of every container directory, sorted. */
    public List<String> ids() {
        List<String> ids = new ArrayList<>();
        if (!Files.isDirectory(root)) return ids;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(root)) {
            for (Path p : ds) {
                if (Files.isDirectory(p)) ids.add(p.getFileName().toString());
            }
        } catch (IOException e) {
            throw io("list " + root, e);
        }
        ids.sort(null);
        return ids;
    }

    /** Removes the container's directory and everything in it. */
    public void remove(String id) {
        Path d = dir(id);
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(d)) {
            for (Path p : ds) {
                // One level of subdirectory: notify/ holds the container's notify socket.
                if (Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    try (DirectoryStream<Path> sub = Files.newDirectoryStream(p)) {
                        for (Path q : sub) Files.deleteIfExists(q);
                    }
                }
                Files.deleteIfExists(p);
            }
        } catch (NoSuchFileException e) {
            return;
        } catch (IOException e) {
            throw io("remove state of " + id, e);
        }
        try {
            Files.deleteIfExists(d);
        } catch (IOException e) {
            throw io("remove state directory " + d, e);
        }
    }

    public static BerthException notFound(String id) {
        return new BerthException(BerthException.Kind.NOT_FOUND, "container does not exist: " + id);
    }

    private static BerthException io(String what, IOException e) {
        return new BerthException(BerthException.Kind.SYSTEM, what + ": " + e, 0, e);
    }

    private static void setMode(Path p, String mode) throws IOException {
        Files.setPosixFilePermissions(p, java.nio.file.attribute.PosixFilePermissions.fromString(mode));
    }

    static Map<String, Object> toJson(ContainerRecord r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.id());
        m.put("ociVersion", r.ociVersion());
        m.put("bundle", r.bundle().toString());
        m.put("rootfs", r.rootfs().toString());
        m.put("created", r.created().toString());
        m.put("pid", (long) r.pid());
        m.put("pidStart", r.pidStart());
        m.put("creatorPid", (long) r.creatorPid());
        m.put("creatorStart", r.creatorStart());
        m.put("annotations", r.annotations());
        List<Object> dirs = new ArrayList<>();
        for (Path p : r.cgroupDirs()) dirs.add(p.toString());
        m.put("cgroupDirs", dirs);
        m.put("hooks", r.hooks());
        return m;
    }

    @SuppressWarnings("unchecked")
    static ContainerRecord fromJson(Object o) {
        Map<String, Object> m = (Map<String, Object>) o;
        Map<String, String> ann = new LinkedHashMap<>();
        Object a = m.get("annotations");
        if (a instanceof Map<?, ?> am) am.forEach((k, v) -> ann.put((String) k, (String) v));
        List<Path> dirs = new ArrayList<>();
        Object d = m.get("cgroupDirs");
        if (d instanceof List<?> dl) for (Object x : dl) dirs.add(Path.of((String) x));
        Object h = m.get("hooks");
        return new ContainerRecord(
                (String) m.get("id"),
                (String) m.get("ociVersion"),
                Path.of((String) m.get("bundle")),
                Path.of((String) m.get("rootfs")),
                Instant.parse((String) m.get("created")),
                ((Long) m.get("pid")).intValue(),
                (Long) m.get("pidStart"),
                ((Long) m.get("creatorPid")).intValue(),
                (Long) m.get("creatorStart"),
                ann,
                dirs,
                h instanceof Map<?, ?> hm ? (Map<String, Object>) hm : Map.of());
    }
}
