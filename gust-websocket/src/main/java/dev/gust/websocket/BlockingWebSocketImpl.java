package dev.gust.websocket;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Bridges a loop-side {@link WebSocketConnection} to blocking code on a virtual thread. Received
 * messages are copied into a queue; above {@link Inbox#HIGH_WATER} bytes the socket stops reading until
 * the handler catches up, so a slow handler cannot make memory grow. Sends run on the loop; a send
 * that meets backpressure waits for the drain.
 */
final class BlockingWebSocketImpl<U> implements BlockingWebSocket<U> {
    private static final System.Logger LOG = System.getLogger("dev.gust.websocket");
    private final WebSocketConnection<U> ws;
    private final Inbox inbox;
    private volatile boolean closed;
    private volatile int closeCode = -1;
    private volatile CompletableFuture<Void> drain;

    private BlockingWebSocketImpl(WebSocketConnection<U> ws) {
        this.ws = ws;
        this.inbox = new Inbox(ws::pauseReading, () -> {
            try {
                ws.loop().defer(ws::resumeReading);
            } catch (java.util.concurrent.RejectedExecutionException gone) {
                // closed meanwhile
            }
        });
    }

    /** The loop-side behavior that feeds a blocking handler. */
    static <U> WebSocketBehavior<U> behavior(WebSocketBehavior<U> settings, BlockingWebSocketHandler<U> handler) {
        WebSocketBehavior.OpenHandler<U> userOpen = settings.open;
        return WebSocketBehavior.from(settings)
                .open(socket -> {
                    WebSocketConnection<U> conn = (WebSocketConnection<U>) socket;
                    BlockingWebSocketImpl<U> b = new BlockingWebSocketImpl<>(conn);
                    conn.blocking = b;
                    if (userOpen != null) userOpen.onOpen(socket);
                    Thread.ofVirtual().name("gust-ws-" + socket.remoteAddress()).start(() -> b.run(handler));
                })
                .message((socket, msg) -> ((WebSocketConnection<U>) socket).blocking.enqueue(msg.copy()))
                .build();
    }

    private void run(BlockingWebSocketHandler<U> handler) {
        int code = CloseCodes.NORMAL_CLOSURE;
        try {
            handler.handle(this);
        } catch (Throwable t) {
            if (t instanceof VirtualMachineError vme) throw vme;
            if (!(t instanceof InterruptedException) || !closed) {
                LOG.log(System.Logger.Level.WARNING, "blocking WebSocket handler threw; closing with 1011", t);
                code = CloseCodes.INTERNAL_ERROR;
            }
        }
        if (!closed) {
            int c = code;
            try {
                ws.loop().defer(() -> {
                    if (ws.isOpen()) ws.close(c, c == CloseCodes.NORMAL_CLOSURE ? "" : "internal error");
                });
            } catch (java.util.concurrent.RejectedExecutionException gone) {
                // loop closed: the connection is gone already
            }
        }
    }

    // ------------------------------------------------------------------ loop side

    void enqueue(WebSocketMessage m) {
        inbox.add(m);
    }

    void closed(int code, String reason) {
        closeCode = code;
        closed = true;
        inbox.close();
        CompletableFuture<Void> d = drain;
        if (d != null) d.complete(null);
    }

    void drained() {
        CompletableFuture<Void> d = drain;
        if (d != null) {
            drain = null;
            d.complete(null);
        }
    }

    // ------------------------------------------------------------------ handler side

    @Override
    public WebSocketMessage receive() throws InterruptedException {
        return receive(null);
    }

    @Override
    public WebSocketMessage receive(Duration timeout) throws InterruptedException {
        return inbox.receive(timeout);
    }

    @Override
    public Iterator<WebSocketMessage> iterator() {
        return inbox.iterator();
    }

    @Override
    public SendResult send(String text) {
        return sendOnLoop(() -> ws.send(text));
    }

    @Override
    public SendResult send(WebSocketMessage message) {
        return sendOnLoop(() -> ws.send(message));
    }

    @Override
    public SendResult sendBinary(byte[] data) {
        byte[] copy = data.clone();
        return sendOnLoop(() -> ws.sendBinary(copy));
    }

    @Override
    public SendResult sendBinary(ByteBuffer data) {
        ByteBuffer copy = ByteBuffer.allocate(data.remaining()).put(data).flip();
        return sendOnLoop(() -> ws.sendBinary(copy));
    }

    @Override
    public SendResult sendJson(Object value) {
        return sendOnLoop(() -> ws.sendJson(value));
    }

    private SendResult sendOnLoop(Supplier<SendResult> send) {
        if (closed) return SendResult.DROPPED;
        CompletableFuture<Void> waitFor = new CompletableFuture<>();
        SendResult r = onLoop(() -> {
            SendResult result = send.get();
            if (result == SendResult.BACKPRESSURE) drain = waitFor;
            return result;
        });
        if (r == SendResult.BACKPRESSURE) {
            // Block this virtual thread, not the loop, until the client catches up.
            try {
                waitFor.get(5, TimeUnit.MINUTES);
            } catch (Exception e) {
                // closed or timed out: the result already told the caller what happened
            }
        }
        return r;
    }

    @Override
    public boolean subscribe(String topic) {
        return onLoop(() -> ws.subscribe(topic));
    }

    @Override
    public boolean unsubscribe(String topic) {
        return onLoop(() -> ws.unsubscribe(topic));
    }

    @Override
    public int publish(String topic, String text) {
        return onLoop(() -> ws.publish(topic, text));
    }

    @Override
    public void close(int code, String reason) {
        onLoop(() -> {
            if (ws.isOpen()) ws.close(code, reason);
            return null;
        });
    }

    @Override
    public boolean isOpen() {
        return !closed;
    }

    @Override
    public int closeCode() {
        return closeCode;
    }

    @Override
    public U data() {
        return ws.data();
    }

    @Override
    public String param(String name) {
        return ws.param(name);
    }

    @Override
    public WebSocket<U> socket() {
        return ws;
    }

    private <T> T onLoop(Supplier<T> op) {
        CompletableFuture<T> f = new CompletableFuture<>();
        try {
            ws.loop().defer(() -> {
                try {
                    f.complete(op.get());
                } catch (Throwable t) {
                    f.completeExceptionally(t);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException gone) {
            throw new IllegalStateException("the server is closed", gone);
        }
        try {
            return f.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException re) throw re;
            throw e;
        }
    }
}
