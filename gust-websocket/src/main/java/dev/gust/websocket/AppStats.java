package dev.gust.websocket;

/**
 * A snapshot of an app's counters (see {@link App#stats()}), for dashboards, JFR and Micrometer.
 * Counts are totals since the app started, summed over its loops.
 *
 * @param httpConnections        open connections, HTTP and upgraded
 * @param webSockets             open WebSocket connections
 * @param messagesIn             WebSocket messages received
 * @param messagesOut            WebSocket messages sent directly (publishes count under deliveries)
 * @param bytesIn                WebSocket payload bytes received (after decompression)
 * @param bytesOut               WebSocket payload bytes sent, direct sends and publish deliveries
 *                               (before compression; dropped messages not counted)
 * @param published              publishes (local and from other nodes)
 * @param deliveries             messages handed to subscribers by publishes
 * @param dropped                messages refused because a client was over its backpressure limit,
 *                               plus publishes the {@link Backplane} dropped for its own limit
 *                               ({@link Backplane.Counters#dropped()})
 * @param loopIterations         event-loop passes
 * @param loopBusyNanos          time the loops spent working (I/O callbacks, tasks, timers: all but
 *                               waiting), summed over the loops; over {@code loopIterations} it is
 *                               the mean pass ({@link #meanIterationNanos()})
 * @param loopLongestIterationNanos the longest single pass of any loop so far: how long one pass kept
 *                               that loop's other sockets waiting
 * @param backplane              the cluster backplane's counters ({@link Backplane.Counters#NONE} on a
 *                               single node)
 */
public record AppStats(long httpConnections, long webSockets, long messagesIn, long messagesOut, long bytesIn,
                       long bytesOut, long published, long deliveries, long dropped, long loopIterations,
                       long loopBusyNanos, long loopLongestIterationNanos, Backplane.Counters backplane) {

    /** The mean busy time of a loop pass (0 before the first). */
    public double meanIterationNanos() {
        return loopIterations == 0 ? 0 : (double) loopBusyNanos / loopIterations;
    }

    /** Publish fan-out: deliveries per publish since the start (0 before the first publish). */
    public double fanOut() {
        return published == 0 ? 0 : (double) deliveries / published;
    }
}
