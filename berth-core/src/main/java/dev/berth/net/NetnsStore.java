package dev.berth.net;

import dev.berth.api.BerthException;
import dev.berth.json.Json;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * berth's records of the network namespaces it added: one directory per name holding
 * netns.json, the CNI result that DEL needs, resolv.conf, and the connectors' logs. It is apart
 * from the containers' --root, whose every directory is a container.
 */
public final class NetnsStore {
    static final String RECORD = "netns.json";
    static final String RESOLV_CONF = "resolv.conf";

    private final Path dir;

    public NetnsStore(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    public Path dir(String name) {
        return dir.resolve(name);
    }

    /** Makes the name's directory; an EXISTS error when the name is taken. */
    Path create(String name) {
        try {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
            Path d = dir(name);
            Files.createDirectory(d);
            // Containers of other users (and their mapped root) read resolv.conf through it.
            Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwx--x--x"));
            return d;
        } catch (FileAlreadyExistsException e) {
            throw exists(name);
        } catch (IOException e) {
            throw io("create " + dir(name), e);
        }
    }

    static BerthException exists(String name) {
        return new BerthException(BerthException.Kind.EXISTS, "netns " + name + " exists already");
    }

    static BerthException notFound(String name) {
        return new BerthException(BerthException.Kind.NOT_FOUND, "netns " + name + " does not exist");
    }

    /** The record, or null when berth has none for this name. */
    NetnsRecord read(String name) {
        Path f = dir(name).resolve(RECORD);
        try {
            return NetnsRecord.fromJson(Json.parse(Files.readString(f), f.toString()));
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw io("read " + f, e);
        }
    }

    /** Written to a temporary file and renamed, so that a reader never sees half a record. */
    void write(NetnsRecord r) {
        writeFile(r.name(), RECORD, Json.write(r.toJson(), true) + "\n");
    }

    void writeFile(String name, String file, String text) {
        Path d = dir(name);
        Path tmp = d.resolve(file + ".tmp");
        try {
            Files.writeString(tmp, text);
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
            Files.move(tmp, d.resolve(file), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw io("write " + d.resolve(file), e);
        }
    }

    /** The names with a record, sorted. */
    List<String> names() {
        List<String> names = new ArrayList<>();
        if (!Files.isDirectory(dir)) return names;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) if (Files.isRegularFile(p.resolve(RECORD))) names.add(p.getFileName().toString());
        } catch (IOException e) {
            throw io("list " + dir, e);
        }
        names.sort(null);
        return names;
    }

    /** Removes the name's directory and everything in it (it holds only files). */
    void remove(String name) {
        Path d = dir(name);
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(d)) {
            for (Path p : ds) Files.deleteIfExists(p);
            Files.deleteIfExists(d);
        } catch (NoSuchFileException e) {
            // gone already
        } catch (IOException e) {
            throw io("remove " + d, e);
        }
    }

    static BerthException io(String what, IOException e) {
        return new BerthException(BerthException.Kind.SYSTEM, what + ": " + e.getMessage(), 0, e);
    }
}
