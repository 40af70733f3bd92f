package dev.berth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.berth.api.ContainerState;
import dev.berth.api.Status;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StateViewTest {
    static ContainerState state(Map<String, String> annotations) {
        return new ContainerState("1.0.2-dev", "c1", Status.CREATED, 12002, Path.of("/tmp/rs"), Path.of("/tmp/rs/rootfs"),
                Instant.parse("2026-11-24T06:18:40.140960339Z"), "root", annotations);
    }

    @Test
    void stateIsRuncsTextByteForByte() {
        // `runc state c1` of runc 1.1.5 for the same container: no newline at the end, and runc
        // never fills in the owner here
        String runc = "{\n"
                + "  \"ociVersion\": \"1.0.2-dev\",\n"
                + "  \"id\": \"c1\",\n"
                + "  \"pid\": 12002,\n"
                + "  \"status\": \"created\",\n"
                + "  \"bundle\": \"/tmp/rs\",\n"
                + "  \"rootfs\": \"/tmp/rs/rootfs\",\n"
                + "  \"created\": \"2026-11-24T06:18:40.140960339Z\",\n"
                + "  \"annotations\": {\n"
                + "    \"a\": \"1\",\n"
                + "    \"b.key\": \"v\\u003c\\u0026\\u003e\"\n"
                + "  },\n"
                + "  \"owner\": \"\"\n"
                + "}";
        assertEquals(runc, StateView.stateJson(state(Map.of("b.key", "v<&>", "a", "1"))));
    }

    @Test
    void emptyAnnotationsAreLeftOut() {
        String s = StateView.stateJson(state(Map.of()));
        assertEquals(-1, s.indexOf("annotations"));
        assertEquals(-1, StateView.stateJson(state(null)).indexOf("annotations"));
        assertEquals(true, s.endsWith("\"created\": \"2026-11-24T06:18:40.140960339Z\",\n  \"owner\": \"\"\n}"));
    }

    @Test
    void listJsonIsOneLineWithTheOwner() {
        assertEquals("[{\"ociVersion\":\"1.0.2-dev\",\"id\":\"c1\",\"pid\":12002,\"status\":\"created\",\"bundle\":\"/tmp/rs\","
                + "\"rootfs\":\"/tmp/rs/rootfs\",\"created\":\"2026-11-24T06:18:40.140960339Z\",\"annotations\":{\"a\":\"1\","
                + "\"b.key\":\"v\\u003c\\u0026\\u003e\"},\"owner\":\"root\"}]\n",
                ListCommand.json(List.of(state(Map.of("b.key", "v<&>", "a", "1")))));
        assertEquals("null\n", ListCommand.json(List.of()));
    }

    @Test
    void listTable() {
        assertEquals("ID          PID         STATUS      BUNDLE      CREATED                          OWNER\n"
                + "c1          12002       created     /tmp/rs     2026-11-24T06:18:40.140960339Z   root\n",
                ListCommand.table(List.of(state(Map.of()))));
    }
}
