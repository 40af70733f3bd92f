package dev.berth.it.support;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The "key=value" lines a container script prints, so that one container run can report many
 * facts and each assertion still names the one that is wrong.
 */
public final class Facts {
    private final Result result;
    private final Map<String, String> values = new LinkedHashMap<>();

    private Facts(Result result) {
        this.result = result;
        for (String line : result.stdout().split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0 && line.substring(0, eq).matches("[A-Za-z0-9_./\\-]+")) {
                values.putIfAbsent(line.substring(0, eq), line.substring(eq + 1));
            }
        }
    }

    /** The facts of a run that must have exited with status 0. */
    public static Facts of(Result r) {
        r.assertOk();
        return new Facts(r);
    }

    /** The facts of a run, whatever its exit status. */
    public static Facts anyExit(Result r) {
        return new Facts(r);
    }

    /** The value printed for {@code key}; fails, showing the whole run, when the script did not print it. */
    public String get(String key) {
        String v = values.get(key);
        if (v == null) throw new AssertionError("the container did not report '" + key + "': " + result.describe());
        return v;
    }

    public boolean has(String key) {
        return values.containsKey(key);
    }

    /** A message for an assertion on {@code key}: what it means and the whole run. */
    public String why(String what) {
        return what + "\n" + result.describe();
    }

    public Result result() {
        return result;
    }
}
