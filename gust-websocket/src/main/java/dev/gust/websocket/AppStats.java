package dev.gust.websocket;

/**
 * A snapshot of an app's counters (see {@link App#stats()}), for dashboards, JFR and Micrometer.
 *
 * @param httpConnections  open connections, HTTP and upgraded
 * @param webSockets       open WebSocket connections
 * @param messagesIn       WebSocket messages received
 * @param messagesOut      WebSocket messages sent directly (publishes count under deliveries)
 * @param bytesIn          WebSocket payload bytes received
 * @param published        publishes (local and from other nodes)
 * @param deliveries       messages handed to subscribers by publishes
 * @param dropped          sends and deliveries refused because a client was over its backpressure limit
 * @param loopIterations   event-loop passes
 * @param loopBusyNanos    time the loop spent working (not waiting for I/O)
 */
public record AppStats(long httpConnections, long webSockets, long messagesIn, long messagesOut, long bytesIn,
                       long published, long deliveries, long dropped, long loopIterations, long loopBusyNanos) {
}
