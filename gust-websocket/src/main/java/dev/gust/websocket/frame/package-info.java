/**
 * The RFC 6455 frame codec: {@link dev.gust.websocket.frame.FrameParser} (incremental, zero-copy,
 * every violation mapped to its close code) delivering to a
 * {@link dev.gust.websocket.frame.FrameListener}; {@link dev.gust.websocket.frame.FrameWriter} and
 * {@link dev.gust.websocket.frame.PreparedMessage} for sending;
 * {@link dev.gust.websocket.frame.Masking} and {@link dev.gust.websocket.frame.Utf8Validator} as
 * the hot inner loops.
 */
package dev.gust.websocket.frame;
