package dev.berth.plan;

/** A message from berth-init that does not follow protocol.h. */
public final class ProtocolException extends RuntimeException {
    public ProtocolException(String message) {
        super(message);
    }
}
