/**
 * Allocation-free response serialisation: {@link dev.gust.http.response.ResponseHeadWriter} for
 * status line and headers, {@link dev.gust.http.response.DateHeader} for the cached {@code Date}
 * line, {@link dev.gust.http.response.ChunkedEncoder} for chunked bodies.
 */
package dev.gust.http.response;
