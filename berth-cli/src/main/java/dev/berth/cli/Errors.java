package dev.berth.cli;

import dev.berth.api.BerthException;
import java.io.FileNotFoundException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * The one-line message of a failure, in the words a runc user knows ("PATH: no such file or
 * directory") rather than a Java class name.
 */
final class Errors {
    private Errors() {}

    static String message(Throwable e) {
        if (e instanceof BerthException) return e.getMessage();
        if (e instanceof NoSuchFileException f) return f.getFile() + ": no such file or directory";
        if (e instanceof AccessDeniedException f) return f.getFile() + ": permission denied";
        if (e instanceof FileAlreadyExistsException f) return f.getFile() + ": file exists";
        if (e instanceof NotDirectoryException f) return f.getFile() + ": not a directory";
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getFile() + ": " + lowerFirst(f.getReason());
        }
        if (e instanceof FileNotFoundException f) return opening(f.getMessage());
        String m = e.getMessage();
        return m == null || m.isEmpty() ? e.toString() : m;
    }

    /** The failure with {@code context + ": "} in front, keeping its kind and errno. */
    static BerthException within(String context, RuntimeException e) {
        if (e instanceof BerthException b) return b.within(context);
        return new BerthException(BerthException.Kind.SYSTEM, context + ": " + message(e), 0, e);
    }

    /** java.io says "PATH (Permission denied)"; Go says "open PATH: permission denied". */
    static String opening(String javaMessage) {
        int paren = javaMessage.lastIndexOf(" (");
        if (paren < 0 || !javaMessage.endsWith(")")) return javaMessage;
        return "open " + javaMessage.substring(0, paren) + ": "
                + lowerFirst(javaMessage.substring(paren + 2, javaMessage.length() - 1));
    }

    /** Go's error strings start in lower case ("Permission denied" from the JDK becomes "permission denied"). */
    private static String lowerFirst(String s) {
        return s.isEmpty() ? s : Character.toLowerCase(s.charAt(0)) + s.substring(1);
    }
}
