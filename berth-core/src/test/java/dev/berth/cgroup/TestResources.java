package dev.berth.cgroup;

import dev.berth.json.Json;
import dev.berth.spec.Resources;
import dev.berth.spec.ResourcesParser;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Resources from JSON text, and the writes of a settings list as "controller/file=value" strings. */
final class TestResources {
    private TestResources() {}

    @SuppressWarnings("unchecked")
    static Resources of(String json) {
        return ResourcesParser.parseFile((Map<String, Object>) Json.parse(json, "test"), "resources");
    }

    static List<String> writes(CgroupSettings s) {
        List<String> out = new ArrayList<>();
        for (CgroupWrite w : s.writes()) out.add(w.toString());
        return out;
    }
}
