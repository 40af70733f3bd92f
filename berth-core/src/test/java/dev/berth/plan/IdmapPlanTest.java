package dev.berth.plan;

import static dev.berth.spec.TestConfigs.add;
import static dev.berth.spec.TestConfigs.json;
import static dev.berth.spec.TestConfigs.minimal;
import static dev.berth.spec.TestConfigs.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.api.BerthException;
import dev.berth.spec.IdMapping;
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
                + "[\"rbind\", \"ridmap\"], \"uidMappings\": " + MAPS + ", \"gidMappings\": " + MAPS + "}"));
        Spec spec = spec(c);
        assertEquals(List.of(new IdmapPlan.Tree(spec.root().path().toString(), false, false, null),
                new IdmapPlan.Tree("/srv/a", true, false, null), new IdmapPlan.Tree("/srv/c", true, true, null)),
                IdmapPlan.of(spec).trees(),
                "idmap on rbind brings the submounts but maps only the top mount; ridmap maps the submounts too; "
                        + "mappings equal to the container's use its user namespace");
        assertEquals(List.of(), IdmapPlan.of(spec).mappings(), "no throwaway user namespace is needed");
        List<String> plan = plan(spec);
        assertTrue(plan.stream().anyMatch(l -> l.startsWith("OP_PREPARE_ROOT") && l.endsWith("idmap=0")), plan.toString());
        assertTrue(plan.stream().anyMatch(l -> l.contains("target=/a") && l.contains("idmap=1")), plan.toString());
        assertTrue(plan.stream().anyMatch(l -> l.contains("target=/b") && !l.contains("idmap")), plan.toString());
        assertTrue(plan.stream().anyMatch(l -> l.contains("target=/c") && l.contains("idmap=2")), plan.toString());
    }

    @Test
    void recursionFollowsRbindForCloningAndRidmapForMapping() {
        Map<String, Object> c = inUserNamespace();
        add(c, "mounts", json("{\"destination\": \"/a\", \"source\": \"/srv/a\", \"options\": [\"bind\", \"ridmap\"]}"));
        add(c, "mounts", json("{\"destination\": \"/b\", \"source\": \"/srv/b\", \"options\": [\"bind\", \"idmap\"]}"));
        add(c, "mounts", json("{\"destination\": \"/c\", \"source\": \"/srv/c\", \"options\": [\"rbind\"], "
                + "\"uidMappings\": " + MAPS + ", \"gidMappings\": " + MAPS + "}"));
        assertEquals(List.of(new IdmapPlan.Tree("/srv/a", false, true, null), new IdmapPlan.Tree("/srv/b", false, false, null),
                new IdmapPlan.Tree("/srv/c", true, true, null)), IdmapPlan.of(spec(c)).trees(),
                "a plain bind brings no submounts whatever the option; mappings without an option map all rbind brings");
    }

    @Test
    void mappingsOtherThanTheContainersGetAUserNamespaceEach() {
        String own = "[{\"containerID\": 0, \"hostID\": 1000, \"size\": 1}]";
        String other = "[{\"containerID\": 1000, \"hostID\": 101000, \"size\": 1}]";
        Map<String, Object> c = inUserNamespace();
        add(c, "mounts", json("{\"destination\": \"/a\", \"source\": \"/srv/a\", \"options\": [\"bind\", \"idmap\"], "
                + "\"uidMappings\": " + own + ", \"gidMappings\": " + own + "}"));
        add(c, "mounts", json("{\"destination\": \"/b\", \"source\": \"/srv/b\", \"options\": [\"bind\", \"idmap\"]}"));
        add(c, "mounts", json("{\"destination\": \"/c\", \"source\": \"/srv/c\", \"options\": [\"rbind\", \"idmap\"], "
                + "\"uidMappings\": " + own + ", \"gidMappings\": " + own + "}"));
        add(c, "mounts", json("{\"destination\": \"/d\", \"source\": \"/srv/d\", \"options\": [\"bind\", \"idmap\"], "
                + "\"uidMappings\": " + own + ", \"gidMappings\": " + other + "}"));
        IdmapPlan plan = IdmapPlan.of(spec(c));
        IdmapPlan.Mapping a = new IdmapPlan.Mapping(List.of(new IdMapping(0, 1000, 1)), List.of(new IdMapping(0, 1000, 1)));
        IdmapPlan.Mapping d = new IdmapPlan.Mapping(List.of(new IdMapping(0, 1000, 1)),
                List.of(new IdMapping(1000, 101000, 1)));
        assertEquals(List.of(new IdmapPlan.Tree("/srv/a", false, false, a), new IdmapPlan.Tree("/srv/b", false, false, null),
                new IdmapPlan.Tree("/srv/c", true, false, a), new IdmapPlan.Tree("/srv/d", false, false, d)),
                plan.trees(), "the mount's own mappings, exactly as given; idmap without mappings is the container's");
        assertEquals(List.of(a, d), plan.mappings(), "one user namespace per distinct mapping, shared by equal ones");
    }

    @Test
    void anIdmappedMountNeedsAUserNamespace() {
        Map<String, Object> c = minimal();
        add(c, "mounts", json("{\"destination\": \"/a\", \"source\": \"/srv/a\", \"options\": [\"bind\", \"idmap\"]}"));
        BerthException e = assertThrows(BerthException.class, () -> IdmapPlan.of(spec(c)));
        assertTrue(e.getMessage().startsWith("config.json: mounts[0]: an idmapped mount without uidMappings/gidMappings "
                + "of its own needs a user namespace"), e.getMessage());
    }

    @Test
    void aJoinedUserNamespaceIsTheContainersForIdmap() {
        Map<String, Object> c = minimal();
        add(c, "linux.namespaces", json("{\"type\": \"user\", \"path\": \"/proc/self/ns/user\"}"));
        add(c, "mounts", json("{\"destination\": \"/a\", \"source\": \"/srv/a\", \"options\": [\"bind\", \"idmap\"]}"));
        assertEquals(List.of(new IdmapPlan.Tree("/srv/a", false, false, null)), IdmapPlan.of(spec(c)).trees(),
                "idmap without mappings of its own maps to the joined user namespace (no throwaway one)");
    }

    @Test
    void onlyBindMounts() {
        Map<String, Object> tmpfs = inUserNamespace();
        add(tmpfs, "mounts", json("{\"destination\": \"/a\", \"type\": \"tmpfs\", \"source\": \"t\", \"options\": [\"idmap\"]}"));
        assertEquals("config.json: mounts[0]: an idmapped mount must be a bind mount",
                assertThrows(BerthException.class, () -> IdmapPlan.of(spec(tmpfs))).getMessage());
    }

    @Test
    void ownMappingsNeedNoUserNamespaceOfTheContainer() {
        String own = "[{\"containerID\": 0, \"hostID\": 1000, \"size\": 1}]";
        Map<String, Object> c = minimal();
        add(c, "mounts", json("{\"destination\": \"/a\", \"source\": \"/srv\", \"options\": [\"bind\", \"idmap\"], "
                + "\"uidMappings\": " + own + ", \"gidMappings\": " + own + "}"));
        IdmapPlan.Mapping mapping = new IdmapPlan.Mapping(List.of(new IdMapping(0, 1000, 1)), List.of(new IdMapping(0, 1000, 1)));
        assertEquals(List.of(new IdmapPlan.Tree("/srv", false, false, mapping)), IdmapPlan.of(spec(c)).trees(),
                "runtime-spec: only idmap without mappings needs the container's user namespace");
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
