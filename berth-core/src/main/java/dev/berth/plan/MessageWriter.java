package dev.berth.plan;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Builds one protocol message: a header and netlink-style attributes (protocol.h).
 * Nested attributes are opened with {@link #begin} and closed with {@link #end}.
 */
public final class MessageWriter {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
    private final Deque<Integer> open = new ArrayDeque<>();
    // Lengths of nested attributes are known only when they close: {offset, length}.
    private final List<int[]> pendingPatches = new ArrayList<>();

    public MessageWriter(int kind) {
        putInt(Protocol.BERTH_MAGIC);
        putShort(Protocol.BERTH_PROTOCOL_VERSION);
        putShort(kind);
        putInt(0); // length, patched in toBytes()
    }

    public MessageWriter u32(int type, long value) {
        header(type, 4);
        putInt((int) value);
        return this;
    }

    public MessageWriter u64(int type, long value) {
        header(type, 8);
        putInt((int) value);
        putInt((int) (value >>> 32));
        return this;
    }

    public MessageWriter str(int type, String value) {
        byte[] b = value.getBytes(StandardCharsets.UTF_8);
        for (byte x : b) {
            if (x == 0) throw new IllegalArgumentException("string contains a NUL byte: " + value);
        }
        header(type, b.length + 1);
        out.write(b, 0, b.length);
        out.write(0);
        pad();
        return this;
    }

    /** Raw bytes (a BPF program), padded like every attribute. */
    public MessageWriter bytes(int type, byte[] value) {
        header(type, value.length);
        out.write(value, 0, value.length);
        pad();
        return this;
    }

    /** Opens a nested attribute; its length is fixed up by {@link #end}. */
    public MessageWriter begin(int type) {
        open.push(out.size());
        putShort(0);
        putShort(type);
        return this;
    }

    public MessageWriter end() {
        int start = open.pop();
        int len = out.size() - start;
        if (len > 0xffff) throw new IllegalArgumentException("attribute too large: " + len + " bytes");
        pendingPatches.add(new int[] {start, len});
        return this;
    }

    public byte[] toBytes() {
        if (!open.isEmpty()) throw new IllegalStateException("unclosed nested attribute");
        byte[] b = out.toByteArray();
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        for (int[] p : pendingPatches) bb.putShort(p[0], (short) p[1]);
        bb.putInt(8, b.length);
        if (b.length > Protocol.BERTH_MAX_MESSAGE) {
            throw new IllegalArgumentException("message of " + b.length + " bytes exceeds the protocol limit of "
                    + Protocol.BERTH_MAX_MESSAGE);
        }
        return b;
    }

    private void header(int type, int payload) {
        int len = Protocol.BERTH_ATTR_HEADER_SIZE + payload;
        if (len > 0xffff) throw new IllegalArgumentException("attribute too large: " + len + " bytes");
        putShort(len);
        putShort(type);
    }

    private void pad() {
        while (out.size() % 4 != 0) out.write(0);
    }

    private void putShort(int v) {
        out.write(v & 0xff);
        out.write((v >>> 8) & 0xff);
    }

    private void putInt(int v) {
        putShort(v & 0xffff);
        putShort((v >>> 16) & 0xffff);
    }
}
