package dev.gust.conformance;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A WebSocket client connection (RFC 6455) that can also send arbitrary and broken frames, chopped at any size.
 * It keeps the bookkeeping Autobahn's fuzzing client uses to judge a case: the received events, who started the
 * closing handshake, the server's close code, whether the TCP close was clean and whether the client had to drop it.
 * It answers pings, echoes a server's close, and fails the connection (1002/1007) when the server breaks the protocol.
 */
public final class Connection {
    /** Autobahn: how long to wait for the server's close frame after sending ours. */
    public static final long CLOSE_HANDSHAKE_TIMEOUT_MS = 1000;
    /** Autobahn: how long a client waits for the server to drop TCP after the closing handshake. */
    public static final long SERVER_DROP_TIMEOUT_MS = 1000;

    static final ScheduledExecutorService TIMERS = Executors.newScheduledThreadPool(1, r -> {
        Thread t = new Thread(r, "conformance-timer");
        t.setDaemon(true);
        return t;
    });

    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;
    private final PerMessageDeflate deflate;
    private final String extensionsHeader;
    private final Object lock = new Object();

    private final List<Event> events = new ArrayList<>();
    private final java.util.concurrent.LinkedBlockingQueue<Event> inbox = new java.util.concurrent.LinkedBlockingQueue<>();
    private long lastEventNanos = System.nanoTime();
    private boolean sentClose, receivedClose, closedByMe, droppedByMe, tcpClosed, failedByMe;
    private boolean unclean;
    private Integer remoteCloseCode;
    private String remoteCloseReason, notCleanReason, failReason;

    private Connection(Socket socket, InputStream in, PerMessageDeflate deflate, String extensionsHeader) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.in = in;
        this.deflate = deflate;
        this.extensionsHeader = extensionsHeader;
        Thread.ofVirtual().name("conformance-reader").start(this::readLoop);
    }

    /** Opens TCP, runs the opening handshake (offering permessage-deflate if {@code offers} is not null) and starts reading. */
    public static Connection open(URI uri, String agentPath, PerMessageDeflate.Offers offers) throws IOException {
        Handshake.Result h = Handshake.open(uri, agentPath, offers);
        return new Connection(h.socket(), h.in(), h.deflate(), h.extensions());
    }

    static String expectedAccept(String key) { return Handshake.expectedAccept(key); }

    // ---------------------------------------------------------------- sending

    /** Sends raw octets in chops of {@code chopSize} (0: one write); each chop is its own write and TCP segment. */
    public void sendData(byte[] data, int chopSize, boolean sync) {
        try {
            synchronized (out) {
                if (chopSize <= 0 || chopSize >= data.length) {
                    out.write(data);
                    out.flush();
                    if (sync) pause();
                } else {
                    boolean slow = data.length / chopSize <= 256;
                    for (int at = 0; at < data.length; at += chopSize) {
                        out.write(data, at, Math.min(chopSize, data.length - at));
                        out.flush();
                        if (slow) pause();
                    }
                }
            }
        } catch (IOException e) {
            onTcpClosed(); // the peer went away; the case is judged on what happened so far
        }
    }

    private static void pause() {
        try { Thread.sleep(1); } catch (InterruptedException e) { Thread.currentThread().interrupt(); }
    }

    public void sendFrame(int opcode, byte[] payload, boolean fin, int rsv, int chopSize, boolean sync) {
        sendData(FrameWriter.encode(opcode, payload, fin, rsv), chopSize, sync);
    }

    /** Sends a message, compressed if permessage-deflate was negotiated, split into frames of at most {@code fragmentSize}. */
    public void sendMessage(byte[] payload, boolean binary, int fragmentSize) {
        byte[] body = payload;
        int rsv = 0;
        if (deflate != null) {
            body = deflate.compress(payload);
            rsv = 4;
        }
        int opcode = binary ? 2 : 1;
        if (fragmentSize <= 0 || body.length <= fragmentSize) {
            sendFrame(opcode, body, true, rsv, 0, false);
            return;
        }
        ByteArrayOutputStream all = new ByteArrayOutputStream(body.length + body.length / fragmentSize * 14 + 14);
        for (int at = 0; at < body.length; at += fragmentSize) {
            int n = Math.min(fragmentSize, body.length - at);
            all.writeBytes(FrameWriter.encode(at == 0 ? opcode : 0, java.util.Arrays.copyOfRange(body, at, at + n),
                    at + n >= body.length, at == 0 ? rsv : 0));
        }
        sendData(all.toByteArray(), 0, false);
    }

    /** Starts (or, if the server started it, answers) the closing handshake with this exact close payload. */
    public void sendClosePayload(byte[] closePayload) {
        boolean reply;
        synchronized (lock) {
            if (sentClose || tcpClosed) return;
            sentClose = true;
            reply = receivedClose;
            if (!reply) closedByMe = true;
        }
        sendFrame(8, closePayload, true, 0, 0, false);
        if (!reply) {
            TIMERS.schedule(() -> {
                synchronized (lock) {
                    if (receivedClose || tcpClosed) return;
                    notCleanReason = "server did not answer the close frame within " + CLOSE_HANDSHAKE_TIMEOUT_MS + " ms";
                }
                drop();
            }, CLOSE_HANDSHAKE_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        }
    }

    public void sendClose(int code, String reason) {
        sendClosePayload(closePayload(code, reason.getBytes(StandardCharsets.UTF_8)));
    }

    public static byte[] closePayload(int code, byte[] reason) {
        byte[] p = new byte[2 + reason.length];
        p[0] = (byte) (code >>> 8);
        p[1] = (byte) code;
        System.arraycopy(reason, 0, p, 2, reason.length);
        return p;
    }

    /** Drops the TCP connection (Autobahn's {@code dropConnection}): the client, not the server, ended it. */
    public void drop() {
        synchronized (lock) {
            if (tcpClosed) return;
            droppedByMe = true;
            unclean = true;
            if (notCleanReason == null) notCleanReason = "the client dropped the TCP connection";
        }
        try { socket.close(); } catch (IOException ignored) { }
        onTcpClosed();
    }

    // ---------------------------------------------------------------- receiving

    private void readLoop() {
        ByteArrayOutputStream message = null;
        int messageOpcode = 0;
        boolean messageCompressed = false;
        try {
            while (true) {
                int b0 = readByte(), b1 = readByte();
                boolean fin = (b0 & 0x80) != 0;
                int rsv = (b0 >> 4) & 7, opcode = b0 & 0x0f;
                long len = b1 & 0x7f;
                if (len == 126) len = (readByte() << 8) | readByte();
                else if (len == 127) { len = 0; for (int i = 0; i < 8; i++) len = (len << 8) | readByte(); }
                byte[] mask = null;
                if ((b1 & 0x80) != 0) { mask = in.readNBytes(4); }
                if (len > Integer.MAX_VALUE - 16) { fail(1009, "frame too large"); return; }
                byte[] payload = in.readNBytes((int) len);
                if (payload.length < len) throw new EOFException();
                if (isFailedOrClosing()) { if (opcode == 8) onClose(payload); continue; }
                if (mask != null) { fail(1002, "server sent a masked frame"); continue; }
                boolean control = opcode >= 8;
                boolean compressedFirst = rsv == 4 && deflate != null && !control && opcode != 0;
                if (rsv != 0 && !compressedFirst) { fail(1002, "server set reserved bits " + rsv); continue; }
                if (opcode != 0 && opcode != 1 && opcode != 2 && opcode != 8 && opcode != 9 && opcode != 10) {
                    fail(1002, "server used reserved opcode " + opcode); continue;
                }
                if (control) {
                    if (!fin || len > 125) { fail(1002, "server sent a fragmented or oversized control frame"); continue; }
                    switch (opcode) {
                        case 8 -> onClose(payload);
                        case 9 -> { if (!sentClose()) sendFrame(10, payload, true, 0, 0, false); }
                        default -> record(Event.pong(payload));
                    }
                    continue;
                }
                if (opcode == 0 && message == null) { fail(1002, "server sent a continuation with nothing to continue"); continue; }
                if (opcode != 0 && message != null) { fail(1002, "server started a message inside a fragmented one"); continue; }
                if (opcode != 0) { message = new ByteArrayOutputStream(); messageOpcode = opcode; messageCompressed = compressedFirst; }
                message.writeBytes(payload);
                if (!fin) continue;
                byte[] body = message.toByteArray();
                message = null;
                if (messageCompressed) {
                    try { body = deflate.decompress(body); }
                    catch (java.util.zip.DataFormatException e) { fail(1007, "server sent invalid compressed data"); continue; }
                }
                if (messageOpcode == 1 && !Payloads.isValidUtf8(body)) { fail(1007, "server sent invalid UTF-8 text"); continue; }
                record(Event.message(body, messageOpcode == 2));
            }
        } catch (IOException e) {
            onTcpClosed();
        }
    }

    private int readByte() throws IOException {
        int b = in.read();
        if (b < 0) throw new EOFException();
        return b;
    }

    private boolean isFailedOrClosing() {
        synchronized (lock) { return failedByMe || receivedClose; }
    }

    private boolean sentClose() {
        synchronized (lock) { return sentClose; }
    }

    private boolean keepEvents = true;

    /** Bulk cases (groups 9, 12, 13) judge messages themselves and keep no event log (Autobahn's enableWirelog(False)). */
    public void keepEvents(boolean keep) { synchronized (lock) { keepEvents = keep; } }

    private void record(Event e) {
        synchronized (lock) {
            if (keepEvents || e.kind() == Event.Kind.TIMEOUT) events.add(e);
            lastEventNanos = System.nanoTime();
            lock.notifyAll();
        }
        inbox.add(e);
    }

    /** Records a {@code continueLater} tag if the connection is still open (as Autobahn does). */
    public boolean recordTimeout(String tag) {
        synchronized (lock) {
            if (tcpClosed) return false;
        }
        record(Event.timeout(tag));
        return true;
    }

    private void onClose(byte[] payload) {
        boolean reply;
        synchronized (lock) {
            if (receivedClose) return;
            receivedClose = true;
            reply = !sentClose;
            lock.notifyAll();
        }
        byte[] answer = new byte[0];
        if (payload.length == 1) {
            fail(1002, "server sent a close frame with a 1-octet payload");
            return;
        }
        if (payload.length >= 2) {
            int code = ((payload[0] & 0xff) << 8) | (payload[1] & 0xff);
            byte[] reason = java.util.Arrays.copyOfRange(payload, 2, payload.length);
            synchronized (lock) {
                remoteCloseCode = code;
                remoteCloseReason = new String(reason, StandardCharsets.UTF_8);
            }
            if (!CloseCodes.isValidOnWire(code)) { fail(1002, "server sent invalid close code " + code); return; }
            if (!Payloads.isValidUtf8(reason)) { fail(1007, "server's close reason is not valid UTF-8"); return; }
            answer = closePayload(code, new byte[0]);
        }
        if (reply) sendClosePayload(answer);
        awaitServerDrop();
    }

    private void awaitServerDrop() {
        TIMERS.schedule(() -> {
            synchronized (lock) {
                if (tcpClosed) return;
                notCleanReason = "server did not drop the TCP connection within " + SERVER_DROP_TIMEOUT_MS
                        + " ms after the closing handshake";
            }
            drop();
        }, SERVER_DROP_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    }

    /** The client fails the connection because the server broke the protocol. */
    private void fail(int code, String why) {
        synchronized (lock) {
            if (failedByMe) return;
            failedByMe = true;
            failReason = why;
        }
        sendClose(code, "");
        boolean handshakeDone;
        synchronized (lock) { handshakeDone = receivedClose; }
        if (handshakeDone) awaitServerDrop();
    }

    private void onTcpClosed() {
        synchronized (lock) {
            if (tcpClosed) return;
            tcpClosed = true;
            if (!(sentClose && receivedClose)) {
                unclean = true;
                if (notCleanReason == null) notCleanReason = "the server dropped the TCP connection without a closing handshake";
            }
            lock.notifyAll();
        }
        try { socket.close(); } catch (IOException ignored) { }
        inbox.add(Event.timeout("#closed"));
    }

    // ---------------------------------------------------------------- observation

    /** Waits until {@code done} holds (checked under the lock, re-checked on every change) or the deadline passes. */
    public boolean await(java.util.function.BooleanSupplier done, long deadlineNanos) {
        synchronized (lock) {
            while (!done.getAsBoolean()) {
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0) return false;
                try { lock.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left))); }
                catch (InterruptedException e) { Thread.currentThread().interrupt(); return false; }
            }
            return true;
        }
    }

    /** Next message/pong (or null on timeout or when the connection closed). */
    public Event nextEvent(long timeoutMs) throws InterruptedException {
        Event e = inbox.poll(timeoutMs, TimeUnit.MILLISECONDS);
        return e == null || "#closed".equals(e.tag()) ? null : e;
    }

    public boolean isClosed() { synchronized (lock) { return tcpClosed; } }
    public List<Event> events() { synchronized (lock) { return List.copyOf(events); } }
    public long lastEventNanos() { synchronized (lock) { return lastEventNanos; } }
    public boolean closedByMe() { synchronized (lock) { return closedByMe; } }
    public boolean droppedByMe() { synchronized (lock) { return droppedByMe; } }
    public boolean wasClean() { synchronized (lock) { return tcpClosed && !unclean; } }
    public Integer remoteCloseCode() { synchronized (lock) { return remoteCloseCode; } }
    public String remoteCloseReason() { synchronized (lock) { return remoteCloseReason; } }
    public String notCleanReason() { synchronized (lock) { return notCleanReason; } }
    public String failReason() { synchronized (lock) { return failReason; } }
    public PerMessageDeflate deflate() { return deflate; }
    public String extensionsHeader() { return extensionsHeader; }
    Object lock() { return lock; }
}
