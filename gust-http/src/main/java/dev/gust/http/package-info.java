/**
 * Gust's HTTP/1.1 building blocks that do not depend on the event loop: shared types here,
 * request parsing in {@link dev.gust.http.parse}, routing in {@link dev.gust.http.route}, and
 * response serialisation in {@link dev.gust.http.response}.
 *
 * <p>All of them are built for the loop's hot path: they read and write {@link java.nio.ByteBuffer}s
 * in place and allocate nothing per request in steady state; strings exist only when a handler
 * asks for one.
 */
package dev.gust.http;
