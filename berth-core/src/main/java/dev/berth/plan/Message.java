package dev.berth.plan;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A decoded protocol message: its kind and its top-level attributes. */
public record Message(int kind, List<Attr> attrs) {

    /** One attribute; {@code payload} excludes the attribute header and padding. */
    public record Attr(int type, byte[] payload) {
        public int u32() {
            if (payload.length < 4) throw new ProtocolException("attribute " + type + " is too short for a u32");
            return ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN).getInt();
        }

        public long u64() {
            if (payload.length < 8) throw new ProtocolException("attribute " + type + " is too short for a u64");
            return ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN).getLong();
        }

        public String str() {
            int n = payload.length;
            if (n > 0 && payload[n - 1] == 0) n--;
            return new String(payload, 0, n, StandardCharsets.UTF_8);
        }

        public List<Attr> nested() {
            return parseAttrs(payload, 0, payload.length);
        }
    }

    public static Message parse(byte[] b, int length) {
        if (length < Protocol.BERTH_HEADER_SIZE) throw new ProtocolException("message of " + length + " bytes has no header");
        ByteBuffer bb = ByteBuffer.wrap(b, 0, length).order(ByteOrder.LITTLE_ENDIAN);
        int magic = bb.getInt(0);
        if (magic != Protocol.BERTH_MAGIC) throw new ProtocolException(String.format("bad magic 0x%08x", magic));
        int version = bb.getShort(4) & 0xffff;
        if (version != Protocol.BERTH_PROTOCOL_VERSION) {
            throw new ProtocolException("berth-init speaks protocol version " + version + ", berth speaks "
                    + Protocol.BERTH_PROTOCOL_VERSION);
        }
        int kind = bb.getShort(6) & 0xffff;
        int total = bb.getInt(8);
        if (total != length) throw new ProtocolException("message says " + total + " bytes but " + length + " arrived");
        return new Message(kind, parseAttrs(b, Protocol.BERTH_HEADER_SIZE, length));
    }

    static List<Attr> parseAttrs(byte[] b, int off, int end) {
        List<Attr> list = new ArrayList<>();
        while (off < end) {
            if (end - off < Protocol.BERTH_ATTR_HEADER_SIZE) throw new ProtocolException("truncated attribute header");
            int len = (b[off] & 0xff) | (b[off + 1] & 0xff) << 8;
            int type = (b[off + 2] & 0xff) | (b[off + 3] & 0xff) << 8;
            if (len < Protocol.BERTH_ATTR_HEADER_SIZE || off + len > end) {
                throw new ProtocolException("attribute " + type + " of length " + len + " overruns the message");
            }
            byte[] p = new byte[len - Protocol.BERTH_ATTR_HEADER_SIZE];
            System.arraycopy(b, off + Protocol.BERTH_ATTR_HEADER_SIZE, p, 0, p.length);
            list.add(new Attr(type, p));
            off += (len + 3) & ~3;
        }
        return list;
    }

    public Attr first(int type) {
        for (Attr a : attrs) if (a.type == type) return a;
        return null;
    }

    public String str(int type, String dflt) {
        Attr a = first(type);
        return a == null ? dflt : a.str();
    }

    public int u32(int type, int dflt) {
        Attr a = first(type);
        return a == null ? dflt : a.u32();
    }
}
