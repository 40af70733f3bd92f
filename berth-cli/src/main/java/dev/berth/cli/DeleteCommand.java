package dev.berth.cli;

import dev.berth.api.BerthException;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;

/**
 * {@code berth delete [--force] <id>}. As runc: a container that does not exist is an error,
 * except with --force, which makes delete idempotent for callers that clean up blindly; and a
 * state directory left without a state file (an interrupted create) is removed either way.
 */
final class DeleteCommand implements Command {
    static final Flag FORCE = Flag.bool("force", "f",
            "forcibly deletes the container if it is still running (uses SIGKILL)");

    @Override
    public String name() {
        return "delete";
    }

    @Override
    public String summary() {
        return "delete any resources held by the container often used with detached container";
    }

    @Override
    public String argsUsage() {
        return "<container-id>\n\nWhere \"<container-id>\" is the name of the container. A running container is only\n"
                + "deleted with --force.";
    }

    @Override
    public List<Flag> flags() {
        return List.of(FORCE);
    }

    @Override
    public int run(Context ctx, ParsedArgs a) throws UsageException {
        Arity.exactly(this, a, 1);
        String id = ContainerIds.check(a.arg(0));
        boolean force = a.bool(FORCE);
        try {
            ctx.runtime().get(id).delete(force);
        } catch (BerthException e) {
            if (e.kind() != BerthException.Kind.NOT_FOUND) throw e;
            removeLeftover(ctx, ctx.root().resolve(id));
            if (!force) throw e;
        }
        return 0;
    }

    /** runc's CLI does the same: what is left of a create that never wrote its state goes. */
    private static void removeLeftover(Context ctx, Path dir) {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) return;
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException failure) throws IOException {
                    if (failure != null) throw failure;
                    Files.delete(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            ctx.out().printError("remove " + dir + ": " + Errors.message(e) + "\n");
        }
    }
}
