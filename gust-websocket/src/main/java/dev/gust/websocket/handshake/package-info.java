/**
 * The server side of the WebSocket opening handshake, independent of the HTTP parser: request
 * checks ({@link dev.gust.websocket.handshake.Handshake#check}), the accept key, subprotocol
 * selection ({@link dev.gust.websocket.handshake.Subprotocols}) and response heads.
 */
package dev.gust.websocket.handshake;
