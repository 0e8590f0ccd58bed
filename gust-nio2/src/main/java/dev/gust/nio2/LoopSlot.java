package dev.gust.nio2;

import dev.gust.loop.Loop;
import dev.gust.loop.SocketContext;
import java.io.IOException;
import java.nio.channels.CompletionHandler;
import java.util.concurrent.RejectedExecutionException;

/**
 * One loop of a {@link GustChannelGroup}: the socket context its client channels connect with, and
 * the bookkeeping that decides whether a completion handler may run inline.
 *
 * <p>Why a depth limit: a handler that starts the next operation, which completes at once and
 * calls the handler again, would otherwise recurse without bound (the JDK bounds this the same
 * way). Past the limit the completion is deferred to the next loop pass.
 */
final class LoopSlot {
    private static final System.Logger LOG = System.getLogger("dev.gust.nio2");
    static final int MAX_INLINE_DEPTH = 16;

    final GustChannelGroup group;
    final Loop loop;
    /** Context of the client sockets on this loop (its state is unused). */
    final SocketContext<Void, GustSocketChannel> clients;
    private int depth; // loop thread only

    LoopSlot(GustChannelGroup group, Loop loop) {
        this.group = group;
        this.loop = loop;
        this.clients = SocketContext.create(loop, null, SocketEvents.INSTANCE);
    }

    /** A call that needs the loop thread and may fail like a socket call. */
    interface LoopCall<R> {
        R call() throws IOException;
    }

    /**
     * Runs {@code call} on {@code loop} and waits for its result (inline when already there): how a
     * program thread reaches a loop-only socket call such as a socket option. Null when the loop is gone.
     */
    static <R> R await(Loop loop, LoopCall<R> call) throws IOException {
        if (loop.isOnLoopThread()) return call.call();
        java.util.concurrent.CompletableFuture<R> result = new java.util.concurrent.CompletableFuture<>();
        try {
            loop.defer(() -> {
                try {
                    result.complete(call.call());
                } catch (Throwable t) {
                    result.completeExceptionally(t);
                }
            });
        } catch (RejectedExecutionException closed) {
            return null;
        }
        try {
            return result.get(30, java.util.concurrent.TimeUnit.SECONDS); // bounded: a loop closing under us never answers
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) throw io;
            if (cause instanceof RuntimeException re) throw re;
            if (cause instanceof Error err) throw err;
            throw new IOException(cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted waiting for the loop thread");
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IOException("the loop thread did not answer (closing?)");
        }
    }

    /** Runs {@code task} on the loop: inline when already there, else deferred. False if the loop is gone. */
    boolean run(Runnable task) {
        if (loop.isOnLoopThread()) {
            task.run();
            return true;
        }
        try {
            loop.defer(task);
            return true;
        } catch (RejectedExecutionException closed) {
            return false;
        }
    }

    /** Completes an operation: on this loop, inline when allowed, else deferred; the caller's thread if the loop is gone. */
    <V, A> void completed(GustChannel channel, CompletionHandler<V, ? super A> handler, V value, A attachment) {
        if (loop.isOnLoopThread() && depth < MAX_INLINE_DEPTH) {
            depth++;
            try {
                handler.completed(value, attachment);
            } catch (RuntimeException | Error e) {
                handlerThrew(channel, e);
            } finally {
                depth--;
            }
            return;
        }
        dispatch(() -> {
            try {
                handler.completed(value, attachment);
            } catch (RuntimeException | Error e) {
                handlerThrew(channel, e);
            }
        });
    }

    /** Fails an operation; same threading as {@link #completed}. */
    <A> void failed(GustChannel channel, CompletionHandler<?, ? super A> handler, Throwable error, A attachment) {
        if (loop.isOnLoopThread() && depth < MAX_INLINE_DEPTH) {
            depth++;
            try {
                handler.failed(error, attachment);
            } catch (RuntimeException | Error e) {
                handlerThrew(channel, e);
            } finally {
                depth--;
            }
            return;
        }
        dispatch(() -> {
            try {
                handler.failed(error, attachment);
            } catch (RuntimeException | Error e) {
                handlerThrew(channel, e);
            }
        });
    }

    private void dispatch(Runnable r) {
        try {
            loop.defer(r);
        } catch (RejectedExecutionException closed) {
            r.run(); // the group terminated: nobody else will ever run it
        }
    }

    /** A handler threw: close its own channel, never the loop (the JDK would lose the exception too). */
    private static void handlerThrew(GustChannel channel, Throwable e) {
        if (e instanceof VirtualMachineError vme) throw vme;
        LOG.log(System.Logger.Level.WARNING, "completion handler threw; closing " + channel, e);
        if (channel.markClosed()) channel.finishClose();
    }
}
