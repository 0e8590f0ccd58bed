package dev.gust.bench.websocket;

import dev.gust.websocket.frame.FrameListener;
import dev.gust.websocket.frame.FrameParser;
import dev.gust.websocket.frame.FrameWriter;
import dev.gust.websocket.frame.Masking;
import dev.gust.websocket.OpCode;
import java.nio.ByteBuffer;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Server-side parsing of 1 KiB masked binary frames, 64 per read buffer, unmasking included. One
 * operation = one frame.
 *
 * <ul>
 *   <li>{@code readSize = 0}: the whole buffer in one feed, so every frame is complete in the input
 *       and delivered in place (the zero-copy path);</li>
 *   <li>{@code readSize = 4000}: fed in 4000-byte reads, so most frames straddle two reads and go
 *       through the accumulation buffer (the copy path).</li>
 * </ul>
 *
 * Unmasking is in place, so each run flips the payload between masked and clear; binary payloads
 * are not inspected, so the work is identical every time.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
public class FrameParserBenchmark {
    static final int FRAMES = 64;
    static final int PAYLOAD = 1024;

    @Param({"heap", "direct"})
    public String buffer;

    @Param({"0", "4000"})
    public int readSize;

    private ByteBuffer wire;
    private FrameParser parser;
    private Sink sink;

    /** Consumes each message cheaply so the JIT cannot discard the parse. */
    static final class Sink implements FrameListener {
        Blackhole bh;
        long bytes;

        @Override public void onText(ByteBuffer utf8) { bytes += utf8.remaining(); }
        @Override public void onBinary(ByteBuffer data) {
            bytes += data.remaining();
            bh.consume(data.get(data.position()));
        }
        @Override public void onPing(ByteBuffer payload) {}
        @Override public void onPong(ByteBuffer payload) {}
        @Override public void onClose(int code, String reason) { throw new AssertionError("close"); }
        @Override public void onProtocolError(int closeCode, String message) { throw new AssertionError(message); }
    }

    @Setup(Level.Trial)
    public void setUp(Blackhole bh) {
        int frameLength = FrameWriter.headerLength(PAYLOAD, true) + PAYLOAD;
        wire = "direct".equals(buffer) ? ByteBuffer.allocateDirect(FRAMES * frameLength) : ByteBuffer.allocate(FRAMES * frameLength);
        var random = new Random(1);
        byte[] payload = new byte[PAYLOAD];
        for (int i = 0; i < FRAMES; i++) {
            random.nextBytes(payload);
            int key = random.nextInt();
            FrameWriter.writeMaskedHeader(wire, OpCode.BINARY, true, 0, PAYLOAD, key);
            int start = wire.position();
            wire.put(payload);
            Masking.apply(wire, start, wire.position(), key, 0);
        }
        wire.flip();
        sink = new Sink();
        sink.bh = bh;
        parser = new FrameParser(FrameParser.Role.SERVER, 16 << 20, sink);
    }

    @Benchmark
    @OperationsPerInvocation(FRAMES)
    public long parse1KiBMaskedFrames() {
        int total = wire.capacity();
        if (readSize == 0) {
            wire.limit(total).position(0);
            parser.feed(wire);
        } else {
            for (int at = 0; at < total; at += readSize) {
                wire.limit(Math.min(total, at + readSize)).position(at);
                parser.feed(wire);
            }
        }
        return sink.bytes;
    }
}
