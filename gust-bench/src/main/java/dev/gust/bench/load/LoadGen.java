package dev.gust.bench.load;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.HdrHistogram.Histogram;

/**
 * A WebSocket / TCP load generator that shares no code with Gust: one NIO selector thread, its own
 * HTTP upgrade, raw masked client frames (like a browser), exact frame/byte accounting, and a hard
 * failure on any byte it did not expect.
 *
 * <pre>
 * LoadGen echo      --port P [--conns 100] [--size 32] [--duration 10] [--warmup 3]
 * LoadGen broadcast --port P [--conns 100] [--size 32] ...   every connection publishes; one own message in flight
 * LoadGen latency   --port P [--conns 100] [--size 32] [--rate 1000] ...  one publisher, p50/p99/p99.9
 * LoadGen tcp-echo  --port P [--conns 100] [--size 1024] ...
 * LoadGen idle      --port P [--conns 15000] [--duration 10]   prints IDLE_READY n, then holds
 * </pre>
 * The last line printed is {@code RESULT key=value ...}.
 */
public final class LoadGen {
    static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    public record Config(String mode, String host, int port, int conns, int size, double duration, double warmup,
                         int rate, String path) {}

    public static void main(String[] args) throws Exception {
        Map<String, String> o = new LinkedHashMap<>();
        String mode = args.length > 0 ? args[0] : "help";
        for (int i = 1; i + 1 < args.length; i += 2) o.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        if (mode.equals("help") || !o.containsKey("port")) {
            System.err.println("usage: LoadGen echo|broadcast|latency|tcp-echo|idle --port P [--host 127.0.0.1] [--conns N]"
                    + " [--size BYTES] [--duration S] [--warmup S] [--rate MSG/S] [--path /]");
            System.exit(2);
        }
        Config c = new Config(mode, o.getOrDefault("host", "127.0.0.1"), Integer.parseInt(o.get("port")),
                Integer.parseInt(o.getOrDefault("conns", mode.equals("idle") ? "15000" : "100")),
                Integer.parseInt(o.getOrDefault("size", mode.equals("tcp-echo") ? "1024" : "32")),
                Double.parseDouble(o.getOrDefault("duration", "10")), Double.parseDouble(o.getOrDefault("warmup", "2")),
                Integer.parseInt(o.getOrDefault("rate", "1000")), o.getOrDefault("path", "/"));
        Result r = run(c, System.out);
        System.out.println(r.line());
        System.exit(r.ok() ? 0 : 1);
    }

    /** Result of one run; {@code values} are printed in order. */
    public record Result(boolean ok, String error, Map<String, String> values) {
        public String line() {
            StringBuilder sb = new StringBuilder("RESULT ok=").append(ok);
            values.forEach((k, v) -> sb.append(' ').append(k).append('=').append(v));
            if (error != null) sb.append(" error=\"").append(error.replace('"', '\'')).append('"');
            return sb.toString();
        }
        public double num(String k) { return Double.parseDouble(values.getOrDefault(k, "NaN")); }
    }

    static final class Fail extends RuntimeException {
        Fail(String m) { super(m, null, false, false); }
    }

    public static Result run(Config c, java.io.PrintStream log) {
        return run(c, log, () -> { }, () -> { });
    }

    /**
     * Runs one load; {@code onStart} runs when the measured window starts (idle: once every connection is
     * open), {@code onEnd} when it ends.
     */
    public static Result run(Config c, java.io.PrintStream log, Runnable onStart, Runnable onEnd) {
        LoadGen g = new LoadGen(c, log);
        g.onStart = onStart;
        g.onEnd = onEnd;
        try {
            return g.go();
        } catch (Throwable t) {
            Map<String, String> v = new LinkedHashMap<>();
            v.put("mode", c.mode());
            return new Result(false, String.valueOf(t), v);
        } finally {
            g.closeAll();
        }
    }

    // ------------------------------------------------------------------------------------------------

    final Config c;
    final java.io.PrintStream log;
    final boolean ws;
    Selector sel;
    final List<Conn> conns = new ArrayList<>();
    final ByteBuffer rbuf = ByteBuffer.allocateDirect(256 * 1024).order(ByteOrder.BIG_ENDIAN);
    // counters (reset at the start of the measured window)
    long msgs, bytes;
    boolean measuring;
    Histogram hist;
    int open; // connections through the handshake
    Runnable onStart = () -> { }, onEnd = () -> { };

    LoadGen(Config c, java.io.PrintStream log) {
        this.c = c;
        this.log = log;
        this.ws = !c.mode().equals("tcp-echo");
    }

    void closeAll() {
        for (Conn k : conns) try { k.ch.close(); } catch (IOException ignored) { }
        try { if (sel != null) sel.close(); } catch (IOException ignored) { }
    }

    /** One connection: state for the upgrade, the frame parser and what it expects next. */
    final class Conn {
        final int id;
        final SocketChannel ch;
        SelectionKey key;
        boolean upgraded;
        final String wsKey;
        ByteBuffer hs; // accumulates the handshake response
        ByteBuffer out; // pending bytes to write (null when nothing pending)
        byte[] msg; // for echo/tcp: the message we sent and expect back
        int tcpGot; // tcp-echo: bytes of the current echo received so far
        // frame parser state
        int hdrLen;
        final byte[] hdr = new byte[14];
        long payLeft; // payload bytes of the current frame still to read (-1: reading header)
        int payPos;
        final byte[] pay;
        int opcode;
        boolean inPayload;

        Conn(int id, SocketChannel ch) {
            this.id = id;
            this.ch = ch;
            byte[] k = new byte[16];
            ThreadLocalRandom.current().nextBytes(k);
            wsKey = Base64.getEncoder().encodeToString(k);
            pay = new byte[Math.max(c.size(), 16) + 16];
        }
    }

    Result go() throws Exception {
        sel = Selector.open();
        long t0 = System.nanoTime();
        connectAll();
        double connectSecs = (System.nanoTime() - t0) / 1e9;
        log.println("# " + c.mode() + ": " + conns.size() + " connections open in " + String.format(Locale.ROOT, "%.2f", connectSecs) + " s");
        Map<String, String> v = new LinkedHashMap<>();
        v.put("mode", c.mode());
        v.put("conns", Integer.toString(c.conns()));
        v.put("size", Integer.toString(c.size()));
        if (c.mode().equals("idle")) {
            log.println("IDLE_READY " + open);
            log.flush();
            long holdEnd = System.nanoTime() + (long) (c.duration() * 1e9);
            onStart.run();
            pump(Math.max(0, holdEnd - System.nanoTime()), false);
            onEnd.run();
            int alive = 0;
            for (Conn k : conns) if (k.ch.isOpen()) alive++;
            v.put("alive", Integer.toString(alive));
            v.put("connect_s", fmt(connectSecs));
            return new Result(alive == c.conns(), alive == c.conns() ? null : "connections lost", v);
        }
        hist = new Histogram(60_000_000_000L, 3);
        // start traffic
        switch (c.mode()) {
            case "echo", "tcp-echo", "broadcast" -> { for (Conn k : conns) sendMessage(k); }
            case "latency" -> { }
            default -> throw new Fail("unknown mode " + c.mode());
        }
        pump((long) (c.warmup() * 1e9), true);
        msgs = 0; bytes = 0; hist.reset(); measuring = true;
        onStart.run();
        long start = System.nanoTime();
        pump((long) (c.duration() * 1e9), true);
        double secs = (System.nanoTime() - start) / 1e9;
        onEnd.run();
        v.put("secs", fmt(secs));
        v.put("msgs", Long.toString(msgs));
        v.put("rate", fmt(msgs / secs));
        v.put("mib_s", fmt(bytes / secs / (1 << 20)));
        if (c.mode().equals("latency") || c.mode().equals("broadcast")) {
            v.put("p50_us", fmt(hist.getValueAtPercentile(50) / 1e3));
            v.put("p99_us", fmt(hist.getValueAtPercentile(99) / 1e3));
            v.put("p999_us", fmt(hist.getValueAtPercentile(99.9) / 1e3));
            v.put("max_us", fmt(hist.getMaxValue() / 1e3));
        }
        if (c.mode().equals("latency")) v.put("publish_rate", Integer.toString(c.rate()));
        return new Result(msgs > 0, msgs > 0 ? null : "no messages", v);
    }

    static String fmt(double d) { return String.format(Locale.ROOT, "%.1f", d); }

    // ---- connecting --------------------------------------------------------------------------------

    void connectAll() throws IOException {
        InetSocketAddress addr = new InetSocketAddress(c.host(), c.port());
        int maxPending = 256; // handshakes in flight at once, so a large idle run does not overflow the backlog
        int started = 0;
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (open < c.conns()) {
            while (started < c.conns() && started - open < maxPending) {
                SocketChannel ch = SocketChannel.open();
                ch.configureBlocking(false);
                ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                Conn k = new Conn(started++, ch);
                conns.add(k);
                if (ch.connect(addr)) onConnected(k);
                else k.key = ch.register(sel, SelectionKey.OP_CONNECT, k);
            }
            if (System.nanoTime() > deadline) throw new Fail("connect timeout: " + open + "/" + c.conns() + " open");
            sel.select(1000);
            var it = sel.selectedKeys().iterator();
            while (it.hasNext()) {
                SelectionKey sk = it.next();
                it.remove();
                Conn k = (Conn) sk.attachment();
                if (!sk.isValid()) continue;
                if (sk.isConnectable()) {
                    k.ch.finishConnect();
                    onConnected(k);
                } else {
                    if (sk.isWritable()) flush(k);
                    if (sk.isValid() && sk.isReadable()) readHandshake(k);
                }
            }
        }
    }

    void onConnected(Conn k) throws IOException {
        if (k.key == null) k.key = k.ch.register(sel, 0, k);
        if (!ws) {
            k.upgraded = true;
            open++;
            k.key.interestOps(SelectionKey.OP_READ);
            return;
        }
        String req = "GET " + c.path() + " HTTP/1.1\r\nHost: " + c.host() + ":" + c.port()
                + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + k.wsKey
                + "\r\nSec-WebSocket-Version: 13\r\nOrigin: http://" + c.host() + "\r\n\r\n";
        k.hs = ByteBuffer.allocate(1024);
        k.key.interestOps(SelectionKey.OP_READ);
        write(k, ByteBuffer.wrap(req.getBytes(StandardCharsets.US_ASCII)));
    }

    void readHandshake(Conn k) throws IOException {
        if (k.upgraded) { onReadable(k); return; }
        int n = k.ch.read(k.hs);
        if (n < 0) throw new Fail("server closed during the handshake (conn " + k.id + ")");
        byte[] a = k.hs.array();
        int len = k.hs.position();
        int end = -1;
        for (int i = 3; i < len; i++) if (a[i] == '\n' && a[i - 1] == '\r' && a[i - 2] == '\n' && a[i - 3] == '\r') { end = i + 1; break; }
        if (end < 0) {
            if (!k.hs.hasRemaining()) throw new Fail("handshake response too long");
            return;
        }
        String head = new String(a, 0, end, StandardCharsets.ISO_8859_1);
        if (!head.startsWith("HTTP/1.1 101")) throw new Fail("upgrade refused: " + head.lines().findFirst().orElse(""));
        String accept = null;
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("sec-websocket-accept")) accept = line.substring(colon + 1).trim();
        }
        if (!expectedAccept(k.wsKey).equals(accept)) throw new Fail("bad Sec-WebSocket-Accept: " + accept);
        k.upgraded = true;
        k.hs = null;
        open++;
        k.payLeft = -1;
        if (end < len) { // frames right behind the 101
            rbuf.clear();
            rbuf.put(a, end, len - end).flip();
            parse(k, rbuf);
        }
    }

    static String expectedAccept(String key) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            return Base64.getEncoder().encodeToString(sha1.digest((key + GUID).getBytes(StandardCharsets.US_ASCII)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- the event loop ----------------------------------------------------------------------------

    long nextPublish;
    long published;

    void pump(long nanos, boolean traffic) throws IOException {
        long end = System.nanoTime() + nanos;
        boolean latency = traffic && c.mode().equals("latency");
        long period = latency ? 1_000_000_000L / Math.max(1, c.rate()) : 0;
        if (latency && nextPublish == 0) nextPublish = System.nanoTime();
        while (true) {
            long now = System.nanoTime();
            if (now >= end) return;
            long wait = end - now;
            if (latency) {
                while (nextPublish <= now) { publishTimed(conns.get(0), nextPublish); nextPublish += period; }
                wait = Math.min(wait, nextPublish - now);
            }
            long ms = wait / 1_000_000;
            if (ms <= 0) sel.selectNow(); else sel.select(Math.min(ms, 100));
            var it = sel.selectedKeys().iterator();
            while (it.hasNext()) {
                SelectionKey sk = it.next();
                it.remove();
                if (!sk.isValid()) continue;
                Conn k = (Conn) sk.attachment();
                if (sk.isWritable()) flush(k);
                if (sk.isValid() && sk.isReadable()) onReadable(k);
            }
        }
    }

    void onReadable(Conn k) throws IOException {
        rbuf.clear();
        int n = k.ch.read(rbuf);
        if (n < 0) {
            if (c.mode().equals("idle")) { k.key.cancel(); k.ch.close(); return; }
            throw new Fail("server closed connection " + k.id);
        }
        if (n == 0) return;
        rbuf.flip();
        if (ws) parse(k, rbuf);
        else tcpData(k, rbuf);
    }

    // ---- TCP echo -----------------------------------------------------------------------------------

    void tcpData(Conn k, ByteBuffer b) throws IOException {
        int n = b.remaining();
        if (k.msg == null || k.tcpGot + n > k.msg.length) throw new Fail("unexpected bytes from server (conn " + k.id + ")");
        if (b.mismatch(ByteBuffer.wrap(k.msg, k.tcpGot, n)) != -1) throw new Fail("echo mismatch (conn " + k.id + ")");
        k.tcpGot += n;
        bytes += n;
        if (k.tcpGot == k.msg.length) {
            msgs++;
            sendMessage(k);
        }
    }

    // ---- WebSocket frames ---------------------------------------------------------------------------

    /** Parses server frames: FIN + binary, unmasked, exact payload; ping answered with pong (idle only). */
    void parse(Conn k, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            if (!k.inPayload) {
                // read the header byte by byte into hdr until complete
                k.hdr[k.hdrLen++] = b.get();
                if (k.hdrLen < 2) continue;
                int b0 = k.hdr[0] & 0xff, b1 = k.hdr[1] & 0xff;
                if ((b1 & 0x80) != 0) throw new Fail("server frame is masked (conn " + k.id + ")");
                int len7 = b1 & 0x7f;
                int need = len7 == 126 ? 4 : len7 == 127 ? 10 : 2;
                if (k.hdrLen < need) continue;
                long len = len7 == 126 ? ((k.hdr[2] & 0xff) << 8 | (k.hdr[3] & 0xff))
                        : len7 == 127 ? ByteBuffer.wrap(k.hdr, 2, 8).getLong() : len7;
                k.opcode = b0 & 0x0f;
                if ((b0 & 0x70) != 0) throw new Fail("RSV bits set (conn " + k.id + ")");
                if ((b0 & 0x80) == 0) throw new Fail("fragmented message (conn " + k.id + ")");
                if (k.opcode == 0x9 || k.opcode == 0xA) {
                    if (len > 125) throw new Fail("control frame too long");
                } else if (k.opcode == 0x8) {
                    throw new Fail("server sent close (conn " + k.id + ")");
                } else if (k.opcode != 0x2) {
                    throw new Fail("unexpected opcode " + k.opcode + " (conn " + k.id + ")");
                } else if (len != c.size()) {
                    throw new Fail("unexpected payload length " + len + " (conn " + k.id + ")");
                }
                k.hdrLen = 0;
                k.payLeft = len;
                k.payPos = 0;
                k.inPayload = true;
                if (len == 0) { frameDone(k); k.inPayload = false; }
                continue;
            }
            int take = (int) Math.min(k.payLeft, b.remaining());
            b.get(k.pay, k.payPos, take);
            k.payPos += take;
            k.payLeft -= take;
            if (k.payLeft == 0) { k.inPayload = false; frameDone(k); }
        }
    }

    void frameDone(Conn k) throws IOException {
        if (k.opcode == 0x9) { // ping: answer with a pong carrying the same data
            byte[] p = java.util.Arrays.copyOf(k.pay, k.payPos);
            write(k, frame(0xA, p));
            return;
        }
        if (k.opcode == 0xA) return;
        if (c.mode().equals("idle")) throw new Fail("data frame on an idle connection");
        int n = k.payPos;
        bytes += n;
        switch (c.mode()) {
            case "echo" -> {
                if (k.msg == null || !java.util.Arrays.equals(k.pay, 0, n, k.msg, 0, k.msg.length))
                    throw new Fail("echo mismatch (conn " + k.id + ")");
                msgs++;
                sendMessage(k);
            }
            case "broadcast", "latency" -> {
                ByteBuffer p = ByteBuffer.wrap(k.pay, 0, n);
                long ts = p.getLong(0);
                int sender = p.getInt(8);
                for (int i = 12; i < n; i++) if (k.pay[i] != (byte) i) throw new Fail("payload corrupted (conn " + k.id + ")");
                if (sender < 0 || sender >= conns.size()) throw new Fail("bad sender id " + sender);
                msgs++;
                if (measuring) hist.recordValue(Math.max(0, System.nanoTime() - ts));
                if (c.mode().equals("broadcast") && sender == k.id) sendMessage(k); // own message back: next one
            }
            default -> throw new Fail("unexpected frame");
        }
    }

    void sendMessage(Conn k) throws IOException {
        switch (c.mode()) {
            case "tcp-echo" -> {
                if (k.msg == null) {
                    k.msg = new byte[c.size()];
                    for (int i = 0; i < k.msg.length; i++) k.msg[i] = (byte) (i * 31 + k.id);
                }
                k.tcpGot = 0;
                write(k, ByteBuffer.wrap(k.msg));
            }
            case "echo" -> {
                if (k.msg == null) k.msg = new byte[c.size()];
                ByteBuffer m = ByteBuffer.wrap(k.msg);
                for (int i = 0; i < k.msg.length; i++) k.msg[i] = (byte) (i + k.id);
                if (k.msg.length >= 8) m.putLong(0, msgs * 7919 + k.id); // changes every message
                write(k, frame(0x2, k.msg));
            }
            case "broadcast" -> publishTimed(k, System.nanoTime());
            default -> throw new Fail("cannot send in mode " + c.mode());
        }
    }

    void publishTimed(Conn k, long ts) throws IOException {
        if (c.size() < 12) throw new Fail("--size must be at least 12 for broadcast/latency (timestamp + sender)");
        byte[] m = new byte[c.size()];
        ByteBuffer p = ByteBuffer.wrap(m);
        p.putLong(0, ts);
        p.putInt(8, k.id);
        for (int i = 12; i < m.length; i++) m[i] = (byte) i;
        write(k, frame(0x2, m));
    }

    /** A masked client frame, FIN set, fresh random mask like a browser. */
    static ByteBuffer frame(int opcode, byte[] payload) {
        int n = payload.length;
        int hl = n < 126 ? 2 : n < 65536 ? 4 : 10;
        ByteBuffer f = ByteBuffer.allocate(hl + 4 + n);
        f.put((byte) (0x80 | opcode));
        if (n < 126) f.put((byte) (0x80 | n));
        else if (n < 65536) { f.put((byte) (0x80 | 126)); f.putShort((short) n); }
        else { f.put((byte) (0x80 | 127)); f.putLong(n); }
        int mask = ThreadLocalRandom.current().nextInt();
        f.putInt(mask);
        byte m0 = (byte) (mask >>> 24), m1 = (byte) (mask >>> 16), m2 = (byte) (mask >>> 8), m3 = (byte) mask;
        for (int i = 0; i < n; i++) {
            byte mk = switch (i & 3) { case 0 -> m0; case 1 -> m1; case 2 -> m2; default -> m3; };
            f.put((byte) (payload[i] ^ mk));
        }
        return f.flip();
    }

    void write(Conn k, ByteBuffer data) throws IOException {
        if (k.out != null) { // append to what is pending
            ByteBuffer merged = ByteBuffer.allocate(k.out.remaining() + data.remaining());
            merged.put(k.out).put(data).flip();
            k.out = merged;
            return;
        }
        k.ch.write(data);
        if (data.hasRemaining()) {
            k.out = data;
            k.key.interestOps(k.key.interestOps() | SelectionKey.OP_WRITE);
        }
    }

    void flush(Conn k) throws IOException {
        if (k.out == null) return;
        k.ch.write(k.out);
        if (!k.out.hasRemaining()) {
            k.out = null;
            k.key.interestOps(k.key.interestOps() & ~SelectionKey.OP_WRITE);
        }
    }
}
