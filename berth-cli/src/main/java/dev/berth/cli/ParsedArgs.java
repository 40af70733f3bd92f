package dev.berth.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The flags that were given, by canonical name, and the positional arguments after them. */
final class ParsedArgs {
    private final Map<String, Object> values = new HashMap<>();
    private List<String> positional = List.of();

    void set(Flag flag, Object value) {
        values.put(flag.name(), value);
    }

    /** One more value of a repeatable flag. */
    @SuppressWarnings("unchecked")
    void add(Flag flag, String value) {
        Object v = values.get(flag.name());
        List<String> list = v == null ? new ArrayList<>() : (List<String>) v;
        list.add(value);
        values.put(flag.name(), list);
    }

    /** Every value of a repeatable flag, in order; empty when it was not given. */
    @SuppressWarnings("unchecked")
    List<String> strings(Flag flag) {
        Object v = values.get(flag.name());
        return v == null ? List.of() : (List<String>) v;
    }

    void positional(List<String> args) {
        positional = args;
    }

    boolean isSet(Flag flag) {
        return values.containsKey(flag.name());
    }

    boolean bool(Flag flag) {
        return Boolean.TRUE.equals(values.get(flag.name()));
    }

    /** The value given, or {@code fallback} when the flag was absent. */
    String string(Flag flag, String fallback) {
        Object v = values.get(flag.name());
        return v == null ? fallback : (String) v;
    }

    int integer(Flag flag, int fallback) {
        Object v = values.get(flag.name());
        return v == null ? fallback : (Integer) v;
    }

    List<String> args() {
        return positional;
    }

    /** The n-th positional argument, or "" when there are fewer (as urfave's Args().Get). */
    String arg(int n) {
        return n < positional.size() ? positional.get(n) : "";
    }
}
