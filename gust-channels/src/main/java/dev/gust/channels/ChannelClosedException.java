package dev.gust.channels;

/**
 * Thrown by {@link Channel#send}, {@link Channel#trySend} and a chosen send case of a select when
 * the channel is closed, and by {@link Channel#receive}, {@link Channel#tryReceive} and a chosen
 * receive case when the channel is closed and drained. If the channel was closed with
 * {@link Channel#closeWithError(Throwable)}, that error is the {@linkplain #getCause() cause}.
 */
public final class ChannelClosedException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    ChannelClosedException(String message, Throwable cause) {
        super(message, cause);
    }
}
