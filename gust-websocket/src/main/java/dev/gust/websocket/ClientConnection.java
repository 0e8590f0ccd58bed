package dev.gust.websocket;

import dev.gust.loop.Loop;
import dev.gust.loop.Socket;
import dev.gust.loop.Timer;
import dev.gust.websocket.deflate.ClientNegotiation;
import dev.gust.websocket.deflate.DeflateParameters;
import dev.gust.websocket.deflate.DeflateSession;
import dev.gust.websocket.frame.FrameListener;
import dev.gust.websocket.frame.FrameParser;
import dev.gust.websocket.frame.FrameWriter;
import dev.gust.websocket.frame.MaskKeys;
import dev.gust.websocket.frame.Masking;
import dev.gust.websocket.handshake.ClientHandshake;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * One client WebSocket: the opening handshake, then frames in (unmasked, through
 * {@link FrameParser}) and out (masked with a fresh key per frame, see {@link MaskKeys}), the
 * closing handshake and timeouts. Loop thread only.
 *
 * <p>States: CONNECTING → HANDSHAKE (TCP/TLS up, request sent) → OPEN → CLOSING (a close frame
 * went out) → CLOSED; FAILED when connecting failed (reported once through onError).
 */
final class ClientConnection implements ClientWebSocket, FrameListener {
    private static final System.Logger LOG = System.getLogger("dev.gust.websocket");
    private static final int CONNECTING = 0, HANDSHAKE = 1, OPEN = 2, CLOSING = 3, CLOSED = 4, FAILED = 5;

    private final ClientOptions options;
    private final ClientListener listener;
    private final CompletableFuture<ClientWebSocket> opened;
    private final ClientHandshake handshake;
    private final WebSocketMessage message = new WebSocketMessage();
    private Socket<ClientConnection> socket;
    private Timer timer; // handshake, then closing-handshake deadline
    private FrameParser parser;
    private DeflateSession deflate;
    private String subprotocol;
    private int state = CONNECTING;
    private boolean backpressured;
    private int receivedCode = -1, sentCode = -1;
    private String receivedReason = "", sentReason = "";
    private boolean peerStartedClose;
    BlockingClient blocking; // set for the blocking style

    ClientConnection(ClientOptions options, ClientListener listener, CompletableFuture<ClientWebSocket> opened,
                     ClientHandshake handshake) {
        this.options = options;
        this.listener = listener;
        this.opened = opened;
        this.handshake = handshake;
    }

    void attach(Socket<ClientConnection> s) {
        socket = s;
        s.state(this);
    }

    // ------------------------------------------------------------------ opening

    /** TCP (and TLS) is up: send the upgrade request and start the handshake clock. */
    void connected() {
        state = HANDSHAKE;
        timer = socket.loop().setTimeout(options.handshakeTimeout, () -> {
            if (state == HANDSHAKE) fail(new SocketTimeoutException("no WebSocket handshake response within " + options.handshakeTimeout));
        });
        socket.write(handshake.request(), false);
    }

    void connectFailed(IOException e) {
        if (state == CONNECTING) fail(e);
    }

    private void fail(Throwable error) {
        if (state == FAILED || state >= OPEN) return;
        state = FAILED;
        cancelTimer();
        if (socket != null) socket.abort();
        opened.completeExceptionally(error);
        try {
            listener.onError(error);
        } catch (Throwable t) {
            LOG.log(System.Logger.Level.WARNING, "onError callback threw", t);
        }
    }

    private void onHandshakeData(ByteBuffer data) {
        ClientHandshake.Response response;
        try {
            response = handshake.offer(data);
        } catch (IllegalStateException tooBig) {
            fail(new IOException("WebSocket handshake failed: " + tooBig.getMessage()));
            return;
        }
        if (response == null) return;
        String error = handshake.check(response);
        DeflateParameters params = null;
        String extensions = response.header("sec-websocket-extensions");
        if (error == null && extensions != null) {
            if (!options.compression) {
                error = "server accepted extensions that were not offered: " + extensions;
            } else {
                try {
                    params = ClientNegotiation.accept(extensions);
                } catch (IllegalArgumentException e) {
                    error = e.getMessage();
                }
            }
        }
        if (error != null) {
            fail(new IOException("WebSocket handshake failed: " + error));
            return;
        }
        cancelTimer();
        subprotocol = response.header("sec-websocket-protocol");
        parser = new FrameParser(FrameParser.Role.CLIENT, options.maxPayloadLength, this);
        if (params != null) {
            deflate = new DeflateSession(params, false, options.compressionThreshold);
            parser.allowRsv1OnDataMessages(true);
        }
        state = OPEN;
        try {
            listener.onOpen(this);
        } catch (Throwable t) {
            callbackFailed("onOpen", t);
        }
        opened.complete(this); // after onOpen, so blocking callers find the listener ready
        if (data.hasRemaining()) parser.feed(data); // frames that came with the 101
    }

    // ------------------------------------------------------------------ socket events

    void onData(ByteBuffer data) {
        if (state == HANDSHAKE) onHandshakeData(data);
        else if (state == OPEN || state == CLOSING) parser.feed(data);
    }

    void onWritable() {
        if (!backpressured || state != OPEN) return;
        backpressured = false;
        try {
            listener.onDrain(this);
        } catch (Throwable t) {
            callbackFailed("onDrain", t);
        }
    }

    void onEnd() {
        socket.shutdown(); // the server is done: so are we (1006 unless a close frame came first)
    }

    void socketClosed() {
        if (state == FAILED || state == CLOSED) return;
        if (state < OPEN) {
            fail(new IOException("connection closed during the WebSocket handshake"));
            return;
        }
        state = CLOSED;
        cancelTimer();
        if (deflate != null) deflate.close();
        boolean ours = sentCode >= 0 && !peerStartedClose;
        int code = ours ? sentCode : receivedCode >= 0 ? receivedCode : CloseCodes.ABNORMAL_CLOSURE;
        String reason = ours ? sentReason : receivedCode >= 0 ? receivedReason : "";
        try {
            listener.onClose(this, code, reason);
        } catch (Throwable t) {
            if (t instanceof VirtualMachineError vme) throw vme;
            LOG.log(System.Logger.Level.WARNING, "onClose callback threw", t);
        }
    }

    // ------------------------------------------------------------------ frames in

    @Override
    public void onText(ByteBuffer utf8) {
        deliver(message.set(utf8, true));
    }

    @Override
    public void onBinary(ByteBuffer data) {
        deliver(message.set(data, false));
    }

    @Override
    public void onCompressed(boolean text, ByteBuffer compressed) {
        if (state == OPEN) deflate.deliver(text, compressed, options.maxPayloadLength, this, parser);
    }

    private void deliver(WebSocketMessage m) {
        if (state != OPEN) return;
        try {
            listener.onMessage(this, m);
        } catch (Throwable t) {
            callbackFailed("onMessage", t);
        }
    }

    @Override
    public void onPing(ByteBuffer payload) {
        if (state == OPEN) writeFrame(OpCode.PONG, payload.duplicate());
        try {
            listener.onPing(this, payload);
        } catch (Throwable t) {
            callbackFailed("onPing", t);
        }
    }

    @Override
    public void onPong(ByteBuffer payload) {
        try {
            listener.onPong(this, payload);
        } catch (Throwable t) {
            callbackFailed("onPong", t);
        }
    }

    @Override
    public void onClose(int code, String reason) {
        receivedCode = code;
        receivedReason = reason;
        if (state == OPEN) { // the server starts the closing handshake: echo its code
            peerStartedClose = true;
            state = CLOSING;
            sendClose(code, reason);
        }
        // Both close frames are out: the server closes TCP first (RFC 6455 7.1.1); wait, bounded.
        armCloseTimer();
    }

    @Override
    public void onProtocolError(int code, String reason) {
        LOG.log(System.Logger.Level.INFO, "closing client WebSocket to {0} with {1}: {2}", remoteAddress(), code, reason);
        if (state == OPEN) {
            state = CLOSING;
            sendClose(code, reason);
        }
        socket.shutdown();
        armCloseTimer();
    }

    // ------------------------------------------------------------------ sending

    @Override
    public SendResult send(String text) {
        return sendData(OpCode.TEXT, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public SendResult send(WebSocketMessage m) {
        return sendData(m.isText() ? OpCode.TEXT : OpCode.BINARY, m.rewound());
    }

    @Override
    public SendResult sendBinary(ByteBuffer data) {
        return sendData(OpCode.BINARY, data);
    }

    @Override
    public SendResult sendBinary(byte[] data) {
        return sendData(OpCode.BINARY, ByteBuffer.wrap(data));
    }

    @Override
    public SendResult ping(ByteBuffer payload) {
        if (payload.remaining() > FrameWriter.MAX_CONTROL_PAYLOAD) throw new IllegalArgumentException("ping payload over 125 bytes");
        loop().checkThread("ClientWebSocket.ping");
        return state == OPEN ? writeFrame(OpCode.PING, payload) : SendResult.DROPPED;
    }

    private SendResult sendData(OpCode op, ByteBuffer payload) {
        loop().checkThread("ClientWebSocket.send");
        if (state != OPEN) return SendResult.DROPPED;
        long buffered = socket.bufferedAmount();
        if (buffered > 0 && buffered + payload.remaining() > options.maxBackpressure) return SendResult.DROPPED;
        return writeFrame(op, payload);
    }

    /** Frames, compresses when worth it, masks (into a copy: the caller's bytes stay intact) and writes. */
    private SendResult writeFrame(OpCode op, ByteBuffer payload) {
        int rsv = 0;
        if (deflate != null && !op.isControl() && deflate.worthCompressing(payload.remaining())) {
            payload = deflate.compress(payload);
            rsv = FrameParser.RSV1;
        }
        int length = payload.remaining();
        int key = MaskKeys.next();
        ByteBuffer frame = ByteBuffer.allocate(FrameWriter.headerLength(length, true) + length);
        FrameWriter.writeMaskedHeader(frame, op, true, rsv, length, key);
        int start = frame.position();
        frame.put(payload.duplicate());
        Masking.apply(frame, start, frame.position(), key, 0);
        frame.flip();
        if (socket.write(frame, false)) return SendResult.SUCCESS;
        if (socket.isClosed()) return SendResult.DROPPED;
        backpressured = true;
        return SendResult.BACKPRESSURE;
    }

    private void sendClose(int code, String reason) {
        sentCode = code;
        sentReason = reason;
        ByteBuffer payload = ByteBuffer.allocate(2 + FrameWriter.MAX_CLOSE_REASON);
        if (code != CloseCodes.NO_STATUS_RECEIVED) FrameWriter.writeClosePayload(payload, code, reason);
        writeFrame(OpCode.CLOSE, payload.flip());
    }

    @Override
    public void close(int code, String reason) {
        loop().checkThread("ClientWebSocket.close");
        if (!CloseCodes.isValidOnWire(code)) throw new IllegalArgumentException("close code " + code + " cannot be sent");
        String r = reason == null ? "" : reason;
        if (r.getBytes(StandardCharsets.UTF_8).length > FrameWriter.MAX_CLOSE_REASON) throw new IllegalArgumentException("close reason over 123 bytes");
        if (state != OPEN) return;
        state = CLOSING;
        sendClose(code, r);
        armCloseTimer();
    }

    @Override
    public void terminate() {
        loop().checkThread("ClientWebSocket.terminate");
        if (socket != null) socket.abort();
    }

    private void armCloseTimer() {
        cancelTimer();
        Duration d = options.closeTimeout;
        timer = socket.loop().setTimeout(d, () -> {
            if (!socket.isClosed()) socket.abort();
        });
    }

    private void cancelTimer() {
        if (timer != null) timer.cancel();
        timer = null;
    }

    private void callbackFailed(String which, Throwable t) {
        if (t instanceof VirtualMachineError vme) throw vme;
        LOG.log(System.Logger.Level.WARNING, "client WebSocket " + which + " callback threw; closing with 1011", t);
        if (state == OPEN) {
            parser.stop();
            close(CloseCodes.INTERNAL_ERROR, "internal error");
        }
    }

    // ------------------------------------------------------------------ accessors

    @Override
    public boolean isOpen() {
        return state == OPEN;
    }

    @Override
    public String subprotocol() {
        return subprotocol;
    }

    @Override
    public DeflateParameters compression() {
        return deflate == null ? null : deflate.parameters();
    }

    @Override
    public long getBufferedAmount() {
        return socket.bufferedAmount();
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return socket == null ? null : socket.remoteAddress();
    }

    @Override
    public Loop loop() {
        return socket.loop();
    }

    ClientOptions options() {
        return options;
    }

    void pauseReading() {
        socket.pauseReading();
    }

    void resumeReading() {
        if (!socket.isClosed()) socket.resumeReading();
    }

    @Override
    public String toString() {
        return "ClientWebSocket[" + remoteAddress() + "]";
    }
}
