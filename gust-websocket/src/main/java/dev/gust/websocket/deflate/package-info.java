/**
 * permessage-deflate (RFC 7692): negotiation ({@link dev.gust.websocket.deflate.ServerNegotiation},
 * {@link dev.gust.websocket.deflate.ClientNegotiation}), per-message compression
 * ({@link dev.gust.websocket.deflate.MessageDeflater}) and capped decompression
 * ({@link dev.gust.websocket.deflate.MessageInflater}). Independent of sockets; used by the server
 * and the client.
 */
package dev.gust.websocket.deflate;
