package dev.gust.websocket.deflate;

/**
 * The shared compressor and decompressor of the calling loop thread: one of each per loop, reset
 * after every message, so connections without context takeover cost no codec memory of their own.
 * Created on first use; they live as long as the thread.
 */
public final class LoopCodecs {
    private static final ThreadLocal<MessageDeflater> DEFLATER = ThreadLocal.withInitial(() -> new MessageDeflater(true));
    private static final ThreadLocal<MessageInflater> INFLATER = ThreadLocal.withInitial(() -> new MessageInflater(true));

    private LoopCodecs() {}

    /** This thread's resetting compressor. */
    public static MessageDeflater deflater() {
        return DEFLATER.get();
    }

    /** This thread's resetting decompressor. */
    public static MessageInflater inflater() {
        return INFLATER.get();
    }
}
