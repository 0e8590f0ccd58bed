/**
 * WebSocket server core (RFC 6455): protocol constants shared by the codec, the handshake and the
 * server ({@link dev.gust.websocket.OpCode}, {@link dev.gust.websocket.CloseCodes},
 * {@link dev.gust.websocket.SendResult}).
 *
 * <p>Subpackages hold the loop-independent pieces: {@code frame} (parser, writer, masking, UTF-8),
 * {@code handshake} (upgrade checks and response) and {@code pubsub} (topic registry).
 */
package dev.gust.websocket;
