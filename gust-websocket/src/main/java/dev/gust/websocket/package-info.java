/**
 * WebSocket server core (RFC 6455): protocol constants shared by the codec, the handshake and the
 * server ({@link dev.gust.websocket.OpCode}, {@link dev.gust.websocket.CloseCodes},
 * {@link dev.gust.websocket.SendResult}).
 *
 * <p>Also the WebSocket client ({@link dev.gust.websocket.WebSocketClient}: {@code ws://} and
 * {@code wss://}, callback and blocking styles) and permessage-deflate settings
 * ({@link dev.gust.websocket.Compression}).
 *
 * <p>Subpackages hold the loop-independent pieces: {@code frame} (parser, writer, masking, UTF-8),
 * {@code handshake} (upgrade checks and response, the client's request and 101 checks),
 * {@code deflate} (RFC 7692 negotiation and codecs) and {@code pubsub} (topic registry).
 */
package dev.gust.websocket;
