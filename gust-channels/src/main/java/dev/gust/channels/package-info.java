/**
 * Go-style concurrency on virtual threads: routines, channels, select and timers. No dependencies.
 *
 * <pre>{@code
 * import static dev.gust.channels.Routines.go;
 * import static dev.gust.channels.Select.*;
 *
 * var jobs = Channel.<String>bounded(16);
 * var results = Channel.<String>unbounded();
 * go(() -> { for (var j : jobs) results.send(j.toUpperCase()); results.close(); });
 * go(() -> { jobs.send("a"); jobs.send("b"); jobs.close(); });
 * for (var r : results) System.out.println(r);              // A, B
 *
 * var in = Channel.<String>rendezvous();
 * select(in.onReceive(System.out::println),                 // whichever comes first
 *        timeout(Duration.ofSeconds(1), () -> System.out.println("idle")));
 * }</pre>
 *
 * <ul>
 *   <li>{@link dev.gust.channels.Routines}: {@code go}, {@code scope}, {@code sleep}, counters.</li>
 *   <li>{@link dev.gust.channels.Routine}: handle with join, join with timeout, cancel, state.</li>
 *   <li>{@link dev.gust.channels.RoutineScope}: structured concurrency (waits; cancels the rest on failure).</li>
 *   <li>{@link dev.gust.channels.Channel}: rendezvous, bounded and unbounded channels.</li>
 *   <li>{@link dev.gust.channels.Select} and {@link dev.gust.channels.SelectCase}: Go's select.</li>
 *   <li>{@link dev.gust.channels.Timers}: {@code after} and {@code tick} channels.</li>
 * </ul>
 *
 * <h2>Errors and interruption</h2>
 * Blocking operations throw the checked {@link java.lang.InterruptedException} (as
 * {@code BlockingQueue} does) and never lose an element to it. Closed channels are reported with
 * the unchecked {@link dev.gust.channels.ChannelClosedException}; {@code receiveOrNull()}, iteration
 * and {@code onReceive(action, onClosed)} handle "closed" without an exception. A routine's failure
 * reaches {@code join()} as {@link dev.gust.channels.RoutineFailedException} and cancellation as
 * {@link java.util.concurrent.CancellationException}.
 *
 * <h2>Timers</h2>
 * Every timeout, sleep, {@code after} and {@code tick} runs on one shared hashed timer wheel driven
 * by one daemon platform thread ({@code gust-timer-wheel}), which unparks the waiting thread: no
 * thread and no {@code parkNanos} per waiter.
 */
package dev.gust.channels;
