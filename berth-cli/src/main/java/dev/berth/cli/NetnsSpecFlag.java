package dev.berth.cli;

import dev.berth.net.Netns;
import dev.berth.net.NetnsRecord;
import dev.berth.net.NetnsSpec;
import java.util.Map;

/** {@code spec --netns NAME}: kept out of SpecCommand so that its start-up loads no network class. */
final class NetnsSpecFlag {
    private NetnsSpecFlag() {}

    static void apply(Map<String, Object> spec, String name, Context ctx) {
        Netns netns = new Netns(Netns.defaultDir(), ctx.log());
        NetnsRecord r = netns.require(name);
        NetnsSpec.apply(spec, r, netns.resolvConf(name));
    }
}
