package dev.berth.plan;

import static dev.berth.spec.TestConfigs.add;
import static dev.berth.spec.TestConfigs.json;
import static dev.berth.spec.TestConfigs.minimal;
import static dev.berth.spec.TestConfigs.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.api.BerthException;
import dev.berth.spec.Spec;
import dev.berth.spec.SpecLoader;
import dev.berth.spec.TestConfigs;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdmapPlanTest {
    @TempDir
    Path dir;

    private static final String MAPS = "[{\"containerID\": 0, \"hostID\": 100000, \"size\": 65536}]";

    private Map<String, Object> inUserNamespace() {
        Map<String, Object> c = minimal();
        add(c, "linux.namespaces", json("{\"type\": \"user\"}"));
        put(c, "linux.uidMappings", json(MAPS));
        put(c, "linux.gidMappings", json(MAPS));
        return c;
    }

    private Spec spec(Map<String, Object> c) {
        return SpecLoader.load(TestConfigs.bundle(dir, c));
    }

    private List<String> plan(Spec spec) {
        PlanContext ctx = new PlanContext(Path.of("/r"), dir, false, true, Protocol.LOG_INFO, CgroupLayout.NONE, true,
                false);
        return Arrays.asList(PlanText.render(PlanBuilder.build(spec, ctx)).split("\n"));
    }

    @Test
    void rootfsAnnotationAndIdmapOptionsNumberTheTreesInPlanOrder() {
        Map<String, Object> c = inUserNamespace();
        put(c, "annotations", Map.of(IdmapPlan.ROOTFS_ANNOTATION, "true"));
        add(c, "mounts", json("{\"destination\": \"/a\", \"source\": \"/srv/a\", \"options\": [\"rbind\", \"idmap\"]}"));
        add(c, "mounts", json("{\"destination\": \"/b\", \"source\": \"/srv/b\", \"options\": [\"bind\"]}"));
        add(c, "mounts", json("{\"destination\": \"/c\", \"type\": \"bind\", \"source\": \"/srv/c\", \"options\": "
                + "[\"ridmap\"], \"uidMappings\": " + MAPS + ", \"gidMappings\": " + MAPS + "}"));
        Spec spec = spec(c);
        assertEquals(List.of(new IdmapPlan.Tree(spec.root().path().toString(), false),
                new IdmapPlan.Tree("/srv/a", false), new IdmapPlan.Tree("/srv/c", true)), IdmapPlan.of(spec).trees(),
                "idmap on rbind maps only the top mount; ridmap maps submounts too");
        List<String> plan = plan(spec);
        assertTrue(plan.stream().anyMatch(l -> l.startsWith("OP_PREPARE_ROOT") && l.endsWith("idmap=0")), plan.toString());
        assertTrue(plan.stream().anyMatch(l -> l.contains("target=/a") && l.contains("idmap=1")), plan.toString());
        assertTrue(plan.stream().anyMatch(l -> l.contains("target=/b") && !l.contains("idmap")), plan.toString());
        assertTrue(plan.stream().anyMatch(l -> l.contains("target=/c") && l.contains("idmap=2")), plan.toString());
    }

    @Test
    void anIdmappedMountNeedsANewUserNamespace() {
        Map<String, Object> c = minimal();
        add(c, "mounts", json("{\"destination\": \"/a\", \"source\": \"/srv/a\", \"options\": [\"bind\", \"idmap\"]}"));
        BerthException e = assertThrows(BerthException.class, () -> IdmapPlan.of(spec(c)));
        assertTrue(e.getMessage().startsWith("config.json: mounts[0]: an idmapped mount needs a new user namespace"),
                e.getMessage());
    }

    @Test
    void onlyBindMountsAndTheContainersOwnMappings() {
        Map<String, Object> tmpfs = inUserNamespace();
        add(tmpfs, "mounts", json("{\"destination\": \"/a\", \"type\": \"tmpfs\", \"source\": \"t\", \"options\": [\"idmap\"]}"));
        assertEquals("config.json: mounts[0]: an idmapped mount must be a bind mount",
                assertThrows(BerthException.class, () -> IdmapPlan.of(spec(tmpfs))).getMessage());

        Map<String, Object> other = inUserNamespace();
        add(other, "mounts", json("{\"destination\": \"/a\", \"source\": \"/srv\", \"options\": [\"bind\"], "
                + "\"uidMappings\": [{\"containerID\": 0, \"hostID\": 5, \"size\": 1}]}"));
        assertTrue(assertThrows(BerthException.class, () -> IdmapPlan.of(spec(other))).getMessage()
                .contains("mappings other than the container's"));
    }

    @Test
    void theAnnotationIsTrueOrFalse() {
        Map<String, Object> c = inUserNamespace();
        put(c, "annotations", Map.of(IdmapPlan.ROOTFS_ANNOTATION, "yes"));
        assertTrue(assertThrows(BerthException.class, () -> IdmapPlan.of(spec(c))).getMessage()
                .contains("must be \"true\" or \"false\""));
        put(c, "annotations", Map.of(IdmapPlan.ROOTFS_ANNOTATION, "false"));
        assertEquals(List.of(), IdmapPlan.of(spec(c)).trees());
    }
}
