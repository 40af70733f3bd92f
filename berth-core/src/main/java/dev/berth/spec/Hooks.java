package dev.berth.spec;

import java.util.List;

/** The hooks of config.json, each list in config order (empty when absent). */
public record Hooks(List<Hook> prestart, List<Hook> createRuntime, List<Hook> createContainer,
        List<Hook> startContainer, List<Hook> poststart, List<Hook> poststop) {

    /** The hook names of runtime-spec 1.2, in the order the lifecycle runs them. */
    public static final List<String> NAMES = List.of("prestart", "createRuntime", "createContainer",
            "startContainer", "poststart", "poststop");

    public static final Hooks NONE = new Hooks(List.of(), List.of(), List.of(), List.of(), List.of(), List.of());

    public Hooks {
        prestart = List.copyOf(prestart);
        createRuntime = List.copyOf(createRuntime);
        createContainer = List.copyOf(createContainer);
        startContainer = List.copyOf(startContainer);
        poststart = List.copyOf(poststart);
        poststop = List.copyOf(poststop);
    }

    /** The hooks of one kind by its config.json name ("createRuntime"). */
    public List<Hook> byName(String name) {
        return switch (name) {
            case "prestart" -> prestart;
            case "createRuntime" -> createRuntime;
            case "createContainer" -> createContainer;
            case "startContainer" -> startContainer;
            case "poststart" -> poststart;
            case "poststop" -> poststop;
            default -> throw new IllegalArgumentException("no hook kind " + name);
        };
    }
}
