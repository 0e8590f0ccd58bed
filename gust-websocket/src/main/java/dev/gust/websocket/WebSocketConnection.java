package dev.gust.websocket;

import dev.gust.http.ConnectionTakeover;
import dev.gust.loop.Loop;
import dev.gust.loop.Socket;
import dev.gust.websocket.deflate.DeflateSession;
import dev.gust.websocket.frame.FrameListener;
import dev.gust.websocket.frame.FrameParser;
import dev.gust.websocket.frame.FrameWriter;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * The server side of one WebSocket: frames in (through {@link FrameParser}), frames out (header
 * from a per-loop scratch buffer + payload, one gathering write), the closing handshake, idle pings,
 * backpressure policy and topic subscriptions. With permessage-deflate negotiated, messages at or
 * over the behavior's threshold go out compressed (RSV1) and compressed messages in are inflated
 * with the cap of {@code maxPayloadLength} ({@link DeflateSession}).
 *
 * <p>States: OPEN → CLOSING (we sent a close frame) → CLOSED (TCP gone; close callback ran once).
 */
final class WebSocketConnection<U> implements WebSocket<U>, ConnectionTakeover, FrameListener {
    private static final System.Logger LOG = System.getLogger("dev.gust.websocket");
    private static final Duration CLOSE_HANDSHAKE_TIMEOUT = Duration.ofSeconds(5);
    private static final int OPEN = 0, CLOSING = 1, CLOSED = 2;

    private final WebSocketRoute<U> route;
    private final PubSub pubSub; // of the loop this connection lives on
    private final WebSocketBehavior<U> behavior;
    final Socket<?> socket;
    private final FrameParser parser;
    private final U data;
    private final String[] paramNames, paramValues;
    private final String subprotocol;
    private final DeflateSession deflate; // null: permessage-deflate not negotiated
    private int state = OPEN;
    private boolean pingSent;
    private boolean backpressured;
    private int receivedCode = -1, sentCode = -1; // close codes seen on the wire, -1 for none
    private String receivedReason = "", sentReason = "";
    private boolean peerStartedClose;
    private boolean closeCallbackDone;
    private boolean subscribedAny;
    BlockingWebSocketImpl<U> blocking; // set for blocking-style routes

    WebSocketConnection(WebSocketRoute<U> route, Socket<?> socket, U data, String[] paramNames, String[] paramValues,
                        String subprotocol, DeflateSession deflate) {
        this.route = route;
        this.behavior = route.behavior;
        this.socket = socket;
        this.pubSub = route.app.pubSubOn(socket.loop());
        this.data = data;
        this.paramNames = paramNames;
        this.paramValues = paramValues;
        this.subprotocol = subprotocol;
        this.parser = new FrameParser(FrameParser.Role.SERVER, behavior.maxPayloadLength, this);
        this.deflate = deflate;
        if (deflate != null) parser.allowRsv1OnDataMessages(true);
    }

    /** After the 101 went out: arm timers and tell the app. */
    void opened() {
        pubSub.webSockets++;
        armIdle();
        if (!behavior.maxLifetime.isZero()) socket.longTimeout(behavior.maxLifetime);
        if (behavior.open != null) {
            try {
                behavior.open.onOpen(this);
            } catch (Throwable t) {
                callbackFailed("open", t);
            }
        }
    }

    private void armIdle() {
        Duration arm = behavior.idleArm;
        if (arm != null) socket.timeout(arm);
    }

    // ------------------------------------------------------------------ user API

    @Override
    public U data() {
        return data;
    }

    @Override
    public String param(String name) {
        for (int i = 0; i < paramNames.length; i++) if (name.equals(paramNames[i])) return paramValues[i];
        return null;
    }

    @Override
    public String subprotocol() {
        return subprotocol;
    }

    @Override
    public SendResult send(String text) {
        return sendData(OpCode.TEXT, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public SendResult send(WebSocketMessage m) {
        return sendData(m.isText() ? OpCode.TEXT : OpCode.BINARY, m.rewound());
    }

    @Override
    public SendResult sendBinary(ByteBuffer payload) {
        return sendData(OpCode.BINARY, payload);
    }

    @Override
    public SendResult sendBinary(byte[] payload) {
        return sendData(OpCode.BINARY, ByteBuffer.wrap(payload));
    }

    @Override
    public SendResult sendJson(Object value) {
        String json;
        try {
            json = route.app.json().encode(value);
        } catch (Exception e) {
            throw new IllegalArgumentException("cannot encode as JSON: " + value, e);
        }
        return send(json);
    }

    @Override
    public SendResult ping(ByteBuffer payload) {
        if (payload.remaining() > FrameWriter.MAX_CONTROL_PAYLOAD) throw new IllegalArgumentException("ping payload over 125 bytes");
        loop().checkThread("WebSocket.ping");
        if (state != OPEN) return SendResult.DROPPED;
        return writeFrame(OpCode.PING, payload, false);
    }

    @Override
    public long getBufferedAmount() {
        return socket.bufferedAmount();
    }

    @Override
    public void cork(Runnable sends) {
        socket.cork(sends);
    }

    @Override
    public boolean isOpen() {
        return state == OPEN;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return socket.remoteAddress();
    }

    @Override
    public Loop loop() {
        return socket.loop();
    }

    @Override
    public boolean subscribe(String topic) {
        loop().checkThread("WebSocket.subscribe");
        if (state == CLOSED) return false;
        subscribedAny = true;
        return pubSub.subscribe(this, topic);
    }

    @Override
    public boolean unsubscribe(String topic) {
        loop().checkThread("WebSocket.unsubscribe");
        return pubSub.unsubscribe(this, topic);
    }

    @Override
    public boolean isSubscribed(String topic) {
        return pubSub.topics.isSubscribed(this, topic);
    }

    @Override
    public List<String> topics() {
        return pubSub.topics.topicsOf(this);
    }

    @Override
    public int publish(String topic, String text) {
        loop().checkThread("WebSocket.publish");
        return pubSub.publish(topic, OpCode.TEXT, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), this);
    }

    @Override
    public int publish(String topic, WebSocketMessage m) {
        loop().checkThread("WebSocket.publish");
        return pubSub.publish(topic, m.isText() ? OpCode.TEXT : OpCode.BINARY, m.rewound(), this);
    }

    @Override
    public int publishBinary(String topic, ByteBuffer payload) {
        loop().checkThread("WebSocket.publish");
        return pubSub.publish(topic, OpCode.BINARY, payload, this);
    }

    @Override
    public void close(int code, String reason) {
        loop().checkThread("WebSocket.close");
        if (!CloseCodes.isValidOnWire(code)) throw new IllegalArgumentException("close code " + code + " cannot be sent");
        if (reason != null && reason.getBytes(StandardCharsets.UTF_8).length > FrameWriter.MAX_CLOSE_REASON) {
            throw new IllegalArgumentException("close reason over 123 bytes");
        }
        startClose(code, reason == null ? "" : reason);
    }

    @Override
    public void terminate() {
        loop().checkThread("WebSocket.terminate");
        socket.abort();
    }

    // ------------------------------------------------------------------ sending

    private SendResult sendData(OpCode op, ByteBuffer payload) {
        loop().checkThread("WebSocket.send");
        return sendData(op, payload, true);
    }

    /** A direct send ({@code direct}: counted in messagesOut) or a delivery compressed for this connection alone. */
    private SendResult sendData(OpCode op, ByteBuffer payload, boolean direct) {
        if (state != OPEN) return SendResult.DROPPED;
        int length = payload.remaining();
        if (socket.bufferedAmount() + length > behavior.maxBackpressure && socket.bufferedAmount() > 0) {
            return drop(length);
        }
        if (direct) pubSub.messagesOut++;
        pubSub.bytesOut += length;
        return writeFrame(op, payload, false);
    }

    /**
     * Pub/sub delivery of a message framed (and compressed) once for every subscriber that can take
     * the same bytes; a subscriber with its own compression context compresses it for itself.
     */
    void deliverPublished(Publication publication) {
        if (state != OPEN) return;
        if (deflate != null && deflate.worthCompressing(publication.payloadLength()) && !deflate.acceptsSharedFrames()) {
            sendData(publication.opcode(), publication.payload(), false); // a delivery, not a direct send
            return;
        }
        boolean compressed = deflate != null && deflate.worthCompressing(publication.payloadLength());
        ByteBuffer frame = compressed ? publication.compressedFrame() : publication.plainFrame();
        frame.position(0);
        int length = frame.remaining();
        if (socket.bufferedAmount() + length > behavior.maxBackpressure && socket.bufferedAmount() > 0) {
            drop(length);
            return;
        }
        pubSub.bytesOut += publication.payloadLength();
        // "more": consecutive deliveries to this subscriber in one loop pass share a syscall
        if (!socket.write(frame, true)) markBackpressure();
    }

    private SendResult drop(int length) {
        pubSub.dropped++;
        if (behavior.dropped != null) {
            try {
                behavior.dropped.onDropped(this, length);
            } catch (Throwable t) {
                callbackFailed("dropped", t);
            }
        }
        if (behavior.closeOnBackpressureLimit && state == OPEN) {
            LOG.log(System.Logger.Level.INFO, "closing {0}: over the backpressure limit of {1} bytes",
                    remoteAddress(), behavior.maxBackpressure);
            socket.abort();
        }
        return SendResult.DROPPED;
    }

    private SendResult writeFrame(OpCode op, ByteBuffer payload, boolean more) {
        int rsv = 0;
        if (deflate != null && !op.isControl() && deflate.worthCompressing(payload.remaining())) {
            payload = deflate.compress(payload);
            rsv = FrameParser.RSV1;
        }
        ByteBuffer header = pubSub.header;
        header.clear();
        FrameWriter.writeHeader(header, op, true, rsv, payload.remaining());
        header.flip();
        boolean ok = payload.hasRemaining() ? socket.write(header, payload, more) : socket.write(header, more);
        if (ok) return SendResult.SUCCESS;
        if (socket.isClosed()) return SendResult.DROPPED;
        markBackpressure();
        return SendResult.BACKPRESSURE;
    }

    private void markBackpressure() {
        backpressured = true;
    }

    private void sendClose(int code, String reason) {
        sentCode = code;
        sentReason = reason;
        ByteBuffer frame = ByteBuffer.allocate(2 + FrameWriter.MAX_CONTROL_PAYLOAD + 2);
        if (code == CloseCodes.NO_STATUS_RECEIVED) { // echo an empty close: 1005 is never sent
            FrameWriter.writeHeader(frame, OpCode.CLOSE, true, 0, 0);
        } else {
            FrameWriter.writeCloseFrame(frame, code, reason);
        }
        frame.flip();
        socket.write(frame, false);
    }

    /** We close: send the close frame, wait (bounded) for the peer's. */
    private void startClose(int code, String reason) {
        if (state != OPEN) return;
        state = CLOSING;
        sendClose(code, reason);
        socket.timeout(CLOSE_HANDSHAKE_TIMEOUT);
    }

    // ------------------------------------------------------------------ frames in (FrameListener)

    @Override
    public void onText(ByteBuffer utf8) {
        deliver(pubSub.message.set(utf8, true));
    }

    @Override
    public void onBinary(ByteBuffer payload) {
        deliver(pubSub.message.set(payload, false));
    }

    private void deliver(WebSocketMessage m) {
        if (state != OPEN) return; // after our close frame, data is ignored (RFC 6455 §5.5.1)
        PubSub counters = pubSub;
        counters.messagesIn++;
        counters.bytesIn += m.length();
        if (behavior.message == null) return;
        try {
            behavior.message.onMessage(this, m);
        } catch (Throwable t) {
            callbackFailed("message", t);
        }
    }

    @Override
    public void onCompressed(boolean text, ByteBuffer compressed) {
        if (state != OPEN) return; // after our close frame, data is ignored (and codecs may be freed)
        deflate.deliver(text, compressed, behavior.maxPayloadLength, this, parser);
    }

    @Override
    public void onPing(ByteBuffer payload) {
        if (state == OPEN) writeFrame(OpCode.PONG, payload.duplicate(), false);
        if (behavior.ping != null) {
            try {
                behavior.ping.onControl(this, payload);
            } catch (Throwable t) {
                callbackFailed("ping", t);
            }
        }
    }

    @Override
    public void onPong(ByteBuffer payload) {
        if (behavior.pong != null) {
            try {
                behavior.pong.onControl(this, payload);
            } catch (Throwable t) {
                callbackFailed("pong", t);
            }
        }
    }

    @Override
    public void onClose(int code, String reason) {
        receivedCode = code;
        receivedReason = reason;
        if (state == OPEN) {
            // The peer starts the closing handshake: echo its code, then the server closes TCP.
            peerStartedClose = true;
            state = CLOSING;
            sendClose(code, reason);
        }
        // Either way the handshake is complete: the server closes the TCP connection first (§7.1.1).
        socket.timeout(CLOSE_HANDSHAKE_TIMEOUT);
        socket.shutdown();
    }

    @Override
    public void onProtocolError(int code, String reason) {
        LOG.log(System.Logger.Level.INFO, "closing {0} with {1}: {2}", remoteAddress(), code, reason);
        if (state == OPEN) {
            state = CLOSING;
            sendClose(code, reason);
        }
        socket.timeout(CLOSE_HANDSHAKE_TIMEOUT);
        socket.shutdown();
    }

    // ------------------------------------------------------------------ socket events (ConnectionTakeover)

    @Override
    public void onData(ByteBuffer data) {
        if (state == OPEN) {
            pingSent = false;
            armIdle();
        }
        parser.feed(data);
    }

    @Override
    public void onWritable() {
        if (!backpressured || state == CLOSED) return;
        backpressured = false;
        if (blocking != null) blocking.drained();
        if (behavior.drain != null) {
            try {
                behavior.drain.onDrain(this);
            } catch (Throwable t) {
                callbackFailed("drain", t);
            }
        }
    }

    @Override
    public void onEnd() {
        // Peer sent FIN: without a close frame this is an abnormal closure (1006).
        socket.shutdown();
    }

    @Override
    public void onClose(int socketCode) {
        if (state == CLOSED) return;
        state = CLOSED;
        pubSub.webSockets--;
        if (deflate != null) deflate.close();
        if (subscribedAny) pubSub.unsubscribeAll(this);
        // Report the code of whoever started the closing handshake (ours if we did: protocol error,
        // app close, shutdown); 1006 when there was no handshake at all.
        boolean ours = sentCode >= 0 && !peerStartedClose;
        int code = ours ? sentCode : receivedCode >= 0 ? receivedCode : CloseCodes.ABNORMAL_CLOSURE;
        String reason = ours ? sentReason : receivedCode >= 0 ? receivedReason : "";
        if (closeCallbackDone) return;
        closeCallbackDone = true;
        if (blocking != null) blocking.closed(code, reason);
        if (behavior.close != null) {
            try {
                behavior.close.onClose(this, code, reason);
            } catch (Throwable t) {
                if (t instanceof VirtualMachineError vme) throw vme;
                LOG.log(System.Logger.Level.WARNING, "close callback threw", t);
            }
        }
    }

    @Override
    public void onTimeout() {
        if (state != OPEN) {
            socket.abort(); // the closing handshake took too long
            return;
        }
        if (pingSent || !behavior.sendPingsAutomatically) {
            LOG.log(System.Logger.Level.DEBUG, "idle timeout for {0}", remoteAddress());
            socket.abort();
            return;
        }
        pingSent = true;
        writeFrame(OpCode.PING, ByteBuffer.allocate(0), false);
        socket.flush();
        armIdle();
    }

    @Override
    public void onLongTimeout() {
        startClose(CloseCodes.GOING_AWAY, "max lifetime reached");
    }

    @Override
    public void onServerShutdown() {
        if (state == OPEN) startClose(CloseCodes.GOING_AWAY, "server shutting down");
        else socket.close();
    }

    private void callbackFailed(String which, Throwable t) {
        if (t instanceof VirtualMachineError vme) throw vme;
        LOG.log(System.Logger.Level.WARNING, "WebSocket " + which + " callback threw; closing " + remoteAddress() + " with 1011", t);
        if (state == OPEN) {
            startClose(CloseCodes.INTERNAL_ERROR, "internal error");
            parser.stop();
        }
    }

    /** Stops/starts reading (blocking-style flow control). */
    void pauseReading() {
        socket.pauseReading();
    }

    void resumeReading() {
        socket.resumeReading();
    }

    @Override
    public String toString() {
        return "WebSocket[" + remoteAddress() + "]";
    }
}
