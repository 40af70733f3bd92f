package dev.berth.json;

/** Malformed JSON; the message starts with "source:line:column: ". */
public final class JsonException extends RuntimeException {
    public JsonException(String message) {
        super(message);
    }
}
