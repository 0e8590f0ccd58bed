package dev.gust.websocket;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Bridges a loop-side {@link ClientConnection} to blocking code: the listener copies messages into
 * a queue (past {@link Inbox#HIGH_WATER} bytes the socket stops reading until the reader catches up),
 * sends run on the loop and a send that meets backpressure waits for the drain.
 */
final class BlockingClient implements BlockingClientWebSocket, ClientListener {
    private final CountDownLatch closedLatch = new CountDownLatch(1);
    private volatile ClientConnection ws;
    private final Inbox inbox = new Inbox(() -> ws.pauseReading(), () -> onLoopQuietly(() -> ws.resumeReading()));
    private volatile boolean closed;
    private volatile int closeCode = -1;
    private volatile String closeReason;
    private volatile CompletableFuture<Void> drain;

    // ------------------------------------------------------------------ loop side (ClientListener)

    @Override
    public void onOpen(ClientWebSocket socket) {
        ws = (ClientConnection) socket;
    }

    @Override
    public void onMessage(ClientWebSocket socket, WebSocketMessage message) {
        inbox.add(message.copy());
    }

    @Override
    public void onDrain(ClientWebSocket socket) {
        CompletableFuture<Void> d = drain;
        if (d != null) {
            drain = null;
            d.complete(null);
        }
    }

    @Override
    public void onClose(ClientWebSocket socket, int code, String reason) {
        closeCode = code;
        closeReason = reason;
        closed = true;
        inbox.close();
        closedLatch.countDown();
        onDrain(socket);
    }

    // ------------------------------------------------------------------ caller side

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
        WebSocketMessage copy = message.copy();
        return sendOnLoop(() -> ws.send(copy));
    }

    @Override
    public SendResult sendBinary(byte[] data) {
        byte[] copy = data.clone();
        return sendOnLoop(() -> ws.sendBinary(copy));
    }

    @Override
    public SendResult ping(byte[] payload) {
        ByteBuffer copy = ByteBuffer.wrap(payload.clone());
        return sendOnLoop(() -> ws.ping(copy));
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
            try {
                waitFor.get(5, TimeUnit.MINUTES); // park this virtual thread, not the loop
            } catch (Exception e) {
                // closed or timed out: the result already says what happened
            }
        }
        return r;
    }

    @Override
    public void close(int code, String reason) {
        if (closed) return;
        onLoopQuietly(() -> ws.close(code, reason));
    }

    @Override
    public void close() {
        close(CloseCodes.NORMAL_CLOSURE, "");
        try {
            awaitClose(ws.options().closeTimeout.plusSeconds(1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public int awaitClose(Duration timeout) throws InterruptedException {
        return closedLatch.await(timeout.toNanos(), TimeUnit.NANOSECONDS) ? closeCode : -1;
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
    public String closeReason() {
        return closeReason;
    }

    @Override
    public String subprotocol() {
        return ws.subprotocol();
    }

    @Override
    public ClientWebSocket socket() {
        return ws;
    }

    private <T> T onLoop(Supplier<T> op) {
        if (ws.loop().isOnLoopThread()) return op.get();
        CompletableFuture<T> f = new CompletableFuture<>();
        ws.loop().defer(() -> {
            try {
                f.complete(op.get());
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        try {
            return f.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException re) throw re;
            throw e;
        }
    }

    private void onLoopQuietly(Runnable r) {
        try {
            ws.loop().runOnLoop(r);
        } catch (java.util.concurrent.RejectedExecutionException gone) {
            // the loop is closed: so is the connection
        }
    }
}
