/**
 * Incremental, zero-copy HTTP/1.1 request parsing (RFC 9112).
 *
 * <p>{@link dev.gust.http.parse.HttpRequestParser} (one per connection) consumes reads and calls a
 * {@link dev.gust.http.parse.HttpRequestHandler} with each {@link dev.gust.http.parse.HttpRequestHead},
 * body piece and request end:
 * <pre>{@code
 * ParseResult r = parser.feed(readBuffer, handler);
 * if (r == ParseResult.ERROR) respondAndClose(parser.errorStatus());
 * }</pre>
 */
package dev.gust.http.parse;
