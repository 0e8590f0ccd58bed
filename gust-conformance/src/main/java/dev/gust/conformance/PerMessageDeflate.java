package dev.gust.conformance;

import java.io.ByteArrayOutputStream;
import java.util.Locale;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * permessage-deflate (RFC 7692) for the client: the offer, checking the server's response, and the codec.
 * The JDK's Deflater cannot shrink its window, so when the server limits the client's window
 * ({@code client_max_window_bits} below 15) messages are sent as stored deflate blocks, which are valid for any window.
 */
public final class PerMessageDeflate {
    /** What the client offers (Autobahn's PerMessageDeflateOffer: accept_no_context_takeover, accept_max_window_bits,
     *  request_no_context_takeover, request_max_window_bits). */
    public record Offer(boolean requestServerNoContextTakeover, int requestServerMaxWindowBits) {
        public static final Offer DEFAULT = new Offer(false, 0);

        public String header() {
            StringBuilder s = new StringBuilder("permessage-deflate; client_no_context_takeover; client_max_window_bits");
            if (requestServerNoContextTakeover) s.append("; server_no_context_takeover");
            if (requestServerMaxWindowBits != 0) s.append("; server_max_window_bits=").append(requestServerMaxWindowBits);
            return s.toString();
        }

        /** Whether a response honours what this offer requested of the server. */
        boolean satisfiedBy(boolean serverNoContextTakeover, int serverMaxWindowBits) {
            return (!requestServerNoContextTakeover || serverNoContextTakeover)
                    && (requestServerMaxWindowBits == 0 || serverMaxWindowBits <= requestServerMaxWindowBits);
        }
    }

    /** Several offers in order of preference (case 13.7), sent as one header. */
    public record Offers(java.util.List<Offer> offers) {
        public static Offers of(Offer... o) { return new Offers(java.util.List.of(o)); }

        public String header() {
            return String.join(", ", offers.stream().map(Offer::header).toList());
        }
    }

    private final boolean serverNoContextTakeover, clientNoContextTakeover;
    private final int serverMaxWindowBits, clientMaxWindowBits;
    private final Deflater deflater;
    private final Inflater inflater = new Inflater(true);

    private PerMessageDeflate(boolean snct, boolean cnct, int smwb, int cmwb) {
        serverNoContextTakeover = snct;
        clientNoContextTakeover = cnct;
        serverMaxWindowBits = smwb;
        clientMaxWindowBits = cmwb;
        deflater = new Deflater(cmwb < 15 ? Deflater.NO_COMPRESSION : Deflater.DEFAULT_COMPRESSION, true);
    }

    /** Checks the server's Sec-WebSocket-Extensions answer against the offers; null if it is not acceptable. */
    public static PerMessageDeflate accept(Offers offers, String header) {
        String[] exts = header.split(",");
        if (exts.length != 1) return null;
        String[] parts = exts[0].split(";");
        if (!parts[0].trim().equals("permessage-deflate")) return null;
        boolean snct = false, cnct = false;
        int smwb = 15, cmwb = 15;
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i].trim();
            String name = p, value = null;
            int eq = p.indexOf('=');
            if (eq >= 0) { name = p.substring(0, eq).trim(); value = p.substring(eq + 1).trim().replace("\"", ""); }
            name = name.toLowerCase(Locale.ROOT);
            if (!seen.add(name)) return null;
            switch (name) {
                case "server_no_context_takeover" -> { if (value != null) return null; snct = true; }
                case "client_no_context_takeover" -> { if (value != null) return null; cnct = true; }
                case "server_max_window_bits" -> { Integer v = bits(value); if (v == null) return null; smwb = v; }
                case "client_max_window_bits" -> { Integer v = bits(value); if (v == null) return null; cmwb = v; }
                default -> { return null; }
            }
        }
        boolean satisfies = false;
        for (Offer o : offers.offers()) satisfies |= o.satisfiedBy(snct, smwb);
        if (!satisfies) return null;
        return new PerMessageDeflate(snct, cnct, smwb, cmwb);
    }

    private static Integer bits(String v) {
        if (v == null || !v.matches("[0-9]{1,2}")) return null;
        int b = Integer.parseInt(v);
        return b >= 8 && b <= 15 ? b : null;
    }

    public byte[] compress(byte[] data) {
        deflater.reset(); // our offer carries client_no_context_takeover: we promise not to use context takeover
        deflater.setInput(data);
        ByteArrayOutputStream out = new ByteArrayOutputStream(data.length / 2 + 64);
        byte[] buf = new byte[Math.max(1024, data.length + 64)];
        int n;
        do {
            n = deflater.deflate(buf, 0, buf.length, Deflater.SYNC_FLUSH);
            out.write(buf, 0, n);
        } while (n == buf.length || !deflater.needsInput());
        byte[] all = out.toByteArray();
        // RFC 7692 7.2.1: remove the 0x00 0x00 0xff 0xff tail of the sync flush
        return all.length >= 4 && all[all.length - 4] == 0 && all[all.length - 3] == 0
                && all[all.length - 2] == (byte) 0xff && all[all.length - 1] == (byte) 0xff
                ? java.util.Arrays.copyOf(all, all.length - 4) : all;
    }

    public byte[] decompress(byte[] data) throws DataFormatException {
        if (serverNoContextTakeover) inflater.reset();
        byte[] in = Payloads.concat(data, new byte[] {0, 0, (byte) 0xff, (byte) 0xff});
        inflater.setInput(in);
        ByteArrayOutputStream out = new ByteArrayOutputStream(data.length * 4 + 64);
        byte[] buf = new byte[64 * 1024];
        while (true) {
            int n = inflater.inflate(buf);
            out.write(buf, 0, n);
            if (n == 0 && (inflater.needsInput() || inflater.finished() || inflater.needsDictionary())) break;
        }
        return out.toByteArray();
    }

    @Override
    public String toString() {
        return "permessage-deflate(server_no_context_takeover=" + serverNoContextTakeover + ", client_no_context_takeover="
                + clientNoContextTakeover + ", server_max_window_bits=" + serverMaxWindowBits + ", client_max_window_bits="
                + clientMaxWindowBits + ")";
    }
}
