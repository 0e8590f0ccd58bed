package dev.gust.websocket;

/**
 * Outcome of sending a message on a WebSocket, as reported to the application. Nothing is dropped
 * silently: a message that could not be accepted is reported as {@link #DROPPED}.
 *
 * <pre>{@code
 * switch (ws.send("hi")) {
 *     case SUCCESS -> {}
 *     case BACKPRESSURE -> pauseProducer();   // queued; wait for drain
 *     case DROPPED -> log.warn("slow consumer");
 * }
 * }</pre>
 */
public enum SendResult {
    /** Written to the socket (or fully handed to the kernel) without queueing. */
    SUCCESS,
    /** Accepted but queued in user space; the socket is above its backpressure watermark. */
    BACKPRESSURE,
    /** Not accepted: the backpressure limit was exceeded or the socket is closing or closed. */
    DROPPED
}
