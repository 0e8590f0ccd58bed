package dev.gust.websocket;

import dev.gust.http.HttpRequest;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;

/**
 * Everything a WebSocket route does: its callbacks (all on the loop thread) and settings.
 *
 * <pre>{@code
 * record User(String name) {}
 * var chat = WebSocketBehavior.<User>builder()
 *     .upgrade((req, res, ctx) -> res.upgrade(new User(req.query("name")), ctx))
 *     .open(ws -> ws.subscribe(ws.param("room")))
 *     .message((ws, msg) -> ws.publish(ws.param("room"), msg))
 *     .close((ws, code, reason) -> System.out.println(ws.data().name() + " left"))
 *     .idleTimeout(Duration.ofSeconds(120))
 *     .build();
 * }</pre>
 *
 * <p>Defaults: max payload 16 MiB, idle timeout 120 s with automatic pings, max backpressure
 * 1 MiB (sends past it return {@link SendResult#DROPPED} and are counted), no lifetime limit, no
 * compression (see {@link Compression}; with compression on, messages that inflate past the max
 * payload are refused with 1009 before the memory is spent).
 *
 * @param <U> the per-connection user data type
 */
public final class WebSocketBehavior<U> {
    /** Messages shorter than this are sent uncompressed (measured: see {@link Compression}). */
    public static final int DEFAULT_COMPRESSION_THRESHOLD = 128;

    /** Decides an upgrade request. */
    @FunctionalInterface
    public interface UpgradeHandler<U> {
        void upgrade(HttpRequest req, UpgradeResponse<U> res, UpgradeContext ctx) throws Exception;
    }

    @FunctionalInterface
    public interface OpenHandler<U> {
        void onOpen(WebSocket<U> ws) throws Exception;
    }

    @FunctionalInterface
    public interface MessageHandler<U> {
        void onMessage(WebSocket<U> ws, WebSocketMessage message) throws Exception;
    }

    @FunctionalInterface
    public interface DrainHandler<U> {
        void onDrain(WebSocket<U> ws) throws Exception;
    }

    @FunctionalInterface
    public interface ControlHandler<U> {
        void onControl(WebSocket<U> ws, ByteBuffer payload) throws Exception;
    }

    @FunctionalInterface
    public interface CloseHandler<U> {
        void onClose(WebSocket<U> ws, int code, String reason) throws Exception;
    }

    @FunctionalInterface
    public interface DroppedHandler<U> {
        /** A message for {@code ws} was dropped because it is too slow (backpressure limit). */
        void onDropped(WebSocket<U> ws, int droppedBytes) throws Exception;
    }

    final UpgradeHandler<U> upgrade;
    final OpenHandler<U> open;
    final MessageHandler<U> message;
    final DrainHandler<U> drain;
    final ControlHandler<U> ping, pong;
    final CloseHandler<U> close;
    final DroppedHandler<U> dropped;
    final int maxPayloadLength;
    final Duration idleTimeout;
    final long maxBackpressure;
    final boolean closeOnBackpressureLimit;
    final Duration maxLifetime;
    final boolean sendPingsAutomatically;
    /** The socket timeout re-armed on every message: half the idle timeout when pinging, else all of it; null when off. */
    final Duration idleArm;
    final Compression compression;
    final boolean dedicatedDecompressor;
    final int compressionThreshold;
    final List<String> subprotocols;

    private WebSocketBehavior(Builder<U> b) {
        upgrade = b.upgrade;
        open = b.open;
        message = b.message;
        drain = b.drain;
        ping = b.ping;
        pong = b.pong;
        close = b.close;
        dropped = b.dropped;
        maxPayloadLength = b.maxPayloadLength;
        idleTimeout = b.idleTimeout;
        maxBackpressure = b.maxBackpressure;
        closeOnBackpressureLimit = b.closeOnBackpressureLimit;
        maxLifetime = b.maxLifetime;
        sendPingsAutomatically = b.sendPingsAutomatically;
        // Computed once: Duration.dividedBy goes through BigDecimal, far too slow for every message.
        idleArm = idleTimeout == null || idleTimeout.isZero() ? null
                : sendPingsAutomatically ? idleTimeout.dividedBy(2) : idleTimeout;
        compression = b.compression;
        dedicatedDecompressor = b.dedicatedDecompressor;
        compressionThreshold = b.compressionThreshold;
        subprotocols = List.copyOf(b.subprotocols);
    }

    public static <U> Builder<U> builder() {
        return new Builder<>();
    }

    /** A builder starting from every setting and callback of {@code b}. */
    static <U> Builder<U> from(WebSocketBehavior<U> b) {
        Builder<U> n = new Builder<>();
        n.upgrade = b.upgrade;
        n.open = b.open;
        n.message = b.message;
        n.drain = b.drain;
        n.ping = b.ping;
        n.pong = b.pong;
        n.close = b.close;
        n.dropped = b.dropped;
        n.maxPayloadLength = b.maxPayloadLength;
        n.idleTimeout = b.idleTimeout;
        n.maxBackpressure = b.maxBackpressure;
        n.closeOnBackpressureLimit = b.closeOnBackpressureLimit;
        n.maxLifetime = b.maxLifetime;
        n.sendPingsAutomatically = b.sendPingsAutomatically;
        n.compression = b.compression;
        n.dedicatedDecompressor = b.dedicatedDecompressor;
        n.compressionThreshold = b.compressionThreshold;
        n.subprotocols = b.subprotocols;
        return n;
    }

    public int maxPayloadLength() {
        return maxPayloadLength;
    }

    public Duration idleTimeout() {
        return idleTimeout;
    }

    public long maxBackpressure() {
        return maxBackpressure;
    }

    public boolean closeOnBackpressureLimit() {
        return closeOnBackpressureLimit;
    }

    public Duration maxLifetime() {
        return maxLifetime;
    }

    public boolean sendPingsAutomatically() {
        return sendPingsAutomatically;
    }

    public Compression compression() {
        return compression;
    }

    public boolean dedicatedDecompressor() {
        return dedicatedDecompressor;
    }

    public int compressionThreshold() {
        return compressionThreshold;
    }

    /** Builds a {@link WebSocketBehavior}; every setting has a sane default. */
    public static final class Builder<U> {
        private UpgradeHandler<U> upgrade;
        private OpenHandler<U> open;
        private MessageHandler<U> message;
        private DrainHandler<U> drain;
        private ControlHandler<U> ping, pong;
        private CloseHandler<U> close;
        private DroppedHandler<U> dropped;
        private int maxPayloadLength = 16 * 1024 * 1024;
        private Duration idleTimeout = Duration.ofSeconds(120);
        private long maxBackpressure = 1024 * 1024;
        private boolean closeOnBackpressureLimit;
        private Duration maxLifetime = Duration.ZERO;
        private boolean sendPingsAutomatically = true;
        private Compression compression = Compression.OFF;
        private boolean dedicatedDecompressor;
        private int compressionThreshold = DEFAULT_COMPRESSION_THRESHOLD;
        private List<String> subprotocols = List.of();

        private Builder() {}

        /** Decides upgrades (default: accept everyone with null data). */
        public Builder<U> upgrade(UpgradeHandler<U> h) {
            upgrade = h;
            return this;
        }

        public Builder<U> open(OpenHandler<U> h) {
            open = h;
            return this;
        }

        public Builder<U> message(MessageHandler<U> h) {
            message = h;
            return this;
        }

        /** Called when a connection that had backpressure has drained. */
        public Builder<U> drain(DrainHandler<U> h) {
            drain = h;
            return this;
        }

        /** Called for each ping (the pong is sent automatically). */
        public Builder<U> ping(ControlHandler<U> h) {
            ping = h;
            return this;
        }

        public Builder<U> pong(ControlHandler<U> h) {
            pong = h;
            return this;
        }

        /** Called once when the connection is gone; {@code code} 1006 means it ended without a close frame. */
        public Builder<U> close(CloseHandler<U> h) {
            close = h;
            return this;
        }

        /** Called when a send or publish to a slow connection was dropped (backpressure limit). */
        public Builder<U> dropped(DroppedHandler<U> h) {
            dropped = h;
            return this;
        }

        /** Largest message accepted; bigger ones close the connection with 1009. */
        public Builder<U> maxPayloadLength(int bytes) {
            if (bytes <= 0) throw new IllegalArgumentException("maxPayloadLength must be positive");
            maxPayloadLength = bytes;
            return this;
        }

        /** Closes connections silent for this long (zero: never). With automatic pings, a ping goes out halfway. */
        public Builder<U> idleTimeout(Duration d) {
            idleTimeout = d;
            return this;
        }

        /** Bytes a connection may have waiting before sends to it are dropped (or it is closed). */
        public Builder<U> maxBackpressure(long bytes) {
            if (bytes <= 0) throw new IllegalArgumentException("maxBackpressure must be positive");
            maxBackpressure = bytes;
            return this;
        }

        /** Close (instead of dropping messages for) a connection past {@link #maxBackpressure}. */
        public Builder<U> closeOnBackpressureLimit(boolean on) {
            closeOnBackpressureLimit = on;
            return this;
        }

        /** Closes every connection after this long, whatever it does (zero: no limit). */
        public Builder<U> maxLifetime(Duration d) {
            maxLifetime = d;
            return this;
        }

        public Builder<U> sendPingsAutomatically(boolean on) {
            sendPingsAutomatically = on;
            return this;
        }

        /** How this route compresses what it sends (default {@link Compression#OFF}). */
        public Builder<U> compression(Compression c) {
            compression = java.util.Objects.requireNonNull(c, "compression");
            return this;
        }

        /**
         * With compression on: false (the default) asks clients for {@code client_no_context_takeover}
         * and inflates with one shared decompressor per loop (no per-connection memory); true lets
         * clients keep their window and gives each connection its own decompressor (about 40 KiB of
         * native memory, created on the first compressed message).
         */
        public Builder<U> dedicatedDecompressor(boolean on) {
            dedicatedDecompressor = on;
            return this;
        }

        /** Messages shorter than this many bytes are sent uncompressed (default {@value WebSocketBehavior#DEFAULT_COMPRESSION_THRESHOLD}). */
        public Builder<U> compressionThreshold(int bytes) {
            if (bytes < 0) throw new IllegalArgumentException("compressionThreshold must not be negative");
            compressionThreshold = bytes;
            return this;
        }

        /** Subprotocols this route speaks, in preference order (the default upgrade picks the first the client offers). */
        public Builder<U> subprotocols(String... protocols) {
            subprotocols = List.of(protocols);
            return this;
        }

        public WebSocketBehavior<U> build() {
            return new WebSocketBehavior<>(this);
        }
    }
}
