package dev.berth.spec;

import dev.berth.api.BerthException;
import dev.berth.json.Json;
import dev.berth.json.JsonException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Reads and validates {@code <bundle>/config.json}. */
public final class SpecLoader {
    public static final String CONFIG = "config.json";

    private SpecLoader() {}

    /**
     * The validated spec of the bundle. Every {@link BerthException} names the file and the field
     * ("config.json: process.cwd: "tmp" must be an absolute path"); warnings travel in the spec.
     */
    public static Spec load(Path bundle) {
        Path abs = bundle.toAbsolutePath().normalize();
        Path file = abs.resolve(CONFIG);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw BerthException.invalid("open " + file + ": no such file or directory");
        } catch (AccessDeniedException e) {
            throw BerthException.invalid("open " + file + ": permission denied");
        } catch (IOException e) {
            throw BerthException.invalid("read " + file + ": " + e.getMessage());
        }
        // Invalid UTF-8 is replaced rather than refused, as Go's encoding/json does for runc.
        return parse(new String(bytes, StandardCharsets.UTF_8), abs);
    }

    /**
     * A runtime-spec process object on its own, as {@code exec --process FILE} takes it. Errors
     * name the file and the field ("process.json: args: must be ..."); warnings (unknown or not
     * applied fields) are added to {@code warnings}.
     */
    @SuppressWarnings("unchecked")
    public static ProcessSpec loadProcess(Path file, List<String> warnings) {
        String name = file.getFileName() == null ? file.toString() : file.getFileName().toString();
        Report report = new Report(name);
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw BerthException.invalid("open " + file + ": no such file or directory");
        } catch (IOException e) {
            throw BerthException.invalid("read " + file + ": " + e.getMessage());
        }
        Object json;
        try {
            json = Json.parse(text, name);
        } catch (JsonException e) {
            throw report.error("", e.getMessage());
        }
        if (!(json instanceof Map<?, ?>)) throw report.error("", "must contain a JSON object");
        ProcessSpec p = new ProcessParser().parse(Node.rootOf("process", (Map<String, Object>) json, report));
        warnings.addAll(report.warnings());
        return p;
    }

    /** Parses config.json text as if it were in {@code bundle} (relative paths resolve there). */
    @SuppressWarnings("unchecked")
    public static Spec parse(String text, Path bundle) {
        Report report = new Report(CONFIG);
        Object json;
        try {
            json = Json.parse(text, CONFIG);
        } catch (JsonException e) {
            throw report.error("", position(e.getMessage()));
        }
        if (!(json instanceof Map<?, ?>)) throw report.error("", "must contain a JSON object");
        Spec spec = new SpecParser(report, bundle.toAbsolutePath().normalize()).parse((Map<String, Object>) json);
        new SpecValidator(report).validate(spec);
        // The validator may have added warnings after the spec was built.
        return new Spec(spec.ociVersion(), spec.root(), spec.process(), spec.hostname(), spec.domainname(),
                spec.mounts(), spec.hooks(), spec.annotations(), spec.linux(), spec.bundle(), report.warnings());
    }

    /**
     * The JSON reader's "config.json:4:7: what" as "line 4, column 7: what". Parsed by hand:
     * java.util.regex would cost start-up time on every command for the sake of an error path.
     */
    static String position(String message) {
        String prefix = CONFIG + ":";
        if (!message.startsWith(prefix)) return message;
        int c1 = message.indexOf(':', prefix.length());
        int c2 = c1 < 0 ? -1 : message.indexOf(": ", c1 + 1);
        if (c2 < 0) return message;
        String line = message.substring(prefix.length(), c1);
        String column = message.substring(c1 + 1, c2);
        if (!digits(line) || !digits(column)) return message;
        return "line " + line + ", column " + column + ": " + message.substring(c2 + 2);
    }

    private static boolean digits(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') return false;
        }
        return !s.isEmpty();
    }
}
