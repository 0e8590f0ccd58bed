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
    @Label("Bytes Out") @Description("WebSocket payload bytes sent, direct sends and publish deliveries") @DataAmount long bytesOut;
    @Label("Publishes") long published;
    @Label("Deliveries") long deliveries;
    @Label("Fan-out") @Description("Deliveries per publish since the app started") double fanOut;
    @Label("Dropped") @Description("Messages refused for clients over their backpressure limit, plus publishes the backplane dropped")
    long dropped;
    @Label("Loop Iterations") long loopIterations;
    @Label("Loop Busy Time") @Description("Time the loops spent working (callbacks, tasks, timers), not waiting") @Timespan
    long loopBusyNanos;
    @Label("Longest Loop Pass") @Description("The longest single pass of any of the app's loops so far") @Timespan
    long loopLongestIterationNanos;
    @Label("Clustered") @Description("A backplane (e.g. Redis) carries pub/sub to other nodes") boolean clustered;
    @Label("Relayed") @Description("Local publishes handed to other nodes") long relayed;
    @Label("Unrelayed") @Description("Local publishes that could not reach the backplane (down, refused, failed)") long unrelayed;
    @Label("Relay Dropped") @Description("Local publishes the backplane dropped over its backpressure limit") long relayDropped;
    @Label("Relay Skipped") @Description("Local publishes not relayed because no other node subscribes to the topic")
    long relaySkipped;
    @Label("Received From Nodes") @Description("Messages received from other nodes") long receivedFromNodes;
}
