package dev.gust.nio2;

import java.nio.channels.CompletionHandler;
import java.util.concurrent.CompletableFuture;

/**
 * The {@link java.util.concurrent.Future} of an operation started without a handler: the operation
 * runs with {@link #HANDLER} and this future as attachment. Cancelling tells the channel, which then
 * refuses further operations of that kind (the JDK's rule: bytes may have been transferred), and
 * closes it when {@code mayInterruptIfRunning}.
 */
final class OpFuture<V> extends CompletableFuture<V> {
    /** What a cancel must undo on the channel. */
    interface Canceller {
        void cancelled(OpFuture<?> future, boolean mayInterruptIfRunning);
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    static final CompletionHandler<Object, OpFuture> HANDLER = new CompletionHandler<>() {
        @Override
        public void completed(Object result, OpFuture f) {
            f.complete(result);
        }

        @Override
        public void failed(Throwable exc, OpFuture f) {
            f.completeExceptionally(exc);
        }
    };

    private final Canceller canceller;

    OpFuture(Canceller canceller) {
        this.canceller = canceller;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static <V> CompletionHandler<V, Object> handler() {
        return (CompletionHandler) HANDLER;
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        boolean cancelled = super.cancel(mayInterruptIfRunning);
        if (cancelled && canceller != null) canceller.cancelled(this, mayInterruptIfRunning);
        return cancelled;
    }
}
