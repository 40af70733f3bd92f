package dev.berth.engine;

import dev.berth.api.Status;
import dev.berth.hooks.HookRunner;
import dev.berth.json.Json;
import dev.berth.state.ContainerRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The runtime-spec state document given to hooks on stdin, and hooks kept in state.json. */
final class HookState {
    private HookState() {}

    static String json(ContainerRecord r, Status status, int pid) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ociVersion", r.ociVersion());
        m.put("id", r.id());
        m.put("status", status.json());
        if (pid > 0) m.put("pid", (long) pid);
        m.put("bundle", r.bundle().toString());
        if (!r.annotations().isEmpty()) m.put("annotations", r.annotations());
        return Json.write(m, false);
    }

    /** The hooks of {@code kind} stored in the record. */
    static List<HookRunner.Hook> stored(ContainerRecord r, String kind) {
        return fromJson(r.hooks().get(kind));
    }

    static List<HookRunner.Hook> fromJson(Object raw) {
        List<HookRunner.Hook> hooks = new ArrayList<>();
        if (!(raw instanceof List<?> list)) return hooks;
        for (Object o : list) {
            Map<?, ?> h = (Map<?, ?>) o;
            Object t = h.get("timeout");
            hooks.add(new HookRunner.Hook((String) h.get("path"), strings(h.get("args")), strings(h.get("env")),
                    t instanceof Number n ? n.intValue() : 0));
        }
        return hooks;
    }

    static List<Object> toJson(List<HookRunner.Hook> hooks) {
        List<Object> list = new ArrayList<>();
        for (HookRunner.Hook h : hooks) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("path", h.path());
            m.put("args", new ArrayList<Object>(h.args()));
            m.put("env", new ArrayList<Object>(h.env()));
            m.put("timeout", (long) h.timeoutSeconds());
            list.add(m);
        }
        return list;
    }

    private static List<String> strings(Object o) {
        List<String> l = new ArrayList<>();
        if (o instanceof List<?> list) for (Object x : list) l.add((String) x);
        return l;
    }
}
