package dev.gust.websocket;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Period;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * A periodic JFR event (every second while a recording is on) with the counters of one app; see
 * {@link AppStats}. Record with {@code -XX:StartFlightRecording} or JDK Mission Control.
 */
@Name("dev.gust.AppStats")
@Label("Gust App Statistics")
@Category({"Gust"})
@Description("Counters of a Gust HTTP/WebSocket app")
@Period("1 s")
@StackTrace(false)
final class StatsEvent extends Event {
    @Label("Port") int port;
    @Label("Open Connections") long httpConnections;
    @Label("Open WebSockets") long webSockets;
    @Label("Messages In") long messagesIn;
    @Label("Messages Out") long messagesOut;
    @Label("Bytes In") @DataAmount long bytesIn;
    @Label("Publishes") long published;
    @Label("Deliveries") long deliveries;
    @Label("Dropped") long dropped;
    @Label("Loop Iterations") long loopIterations;
    @Label("Loop Busy Time") @Timespan long loopBusyNanos;
}
