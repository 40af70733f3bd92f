package dev.berth.spec;

import dev.berth.api.BerthException;
import java.util.ArrayList;
import java.util.List;

/** Errors and warnings about one config file, each prefixed with the file's name. */
final class Report {
    private final String source;
    private final List<String> warnings = new ArrayList<>();

    Report(String source) {
        this.source = source;
    }

    /** "config.json: process.args: must be ..." */
    BerthException error(String path, String what) {
        return BerthException.invalid(source + ": " + (path.isEmpty() ? "" : path + ": ") + what);
    }

    void warn(String message) {
        warnings.add(source + ": " + message);
    }

    List<String> warnings() {
        return warnings;
    }
}
