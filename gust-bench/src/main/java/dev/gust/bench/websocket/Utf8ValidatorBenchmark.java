package dev.gust.bench.websocket;

import dev.gust.websocket.frame.Utf8Validator;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * UTF-8 validation of a 16 KiB text payload in a heap ByteBuffer: pure ASCII, mixed (mostly ASCII
 * with accented letters, CJK and emoji, like chat text), and all multi-byte (Cyrillic/CJK). The
 * JDK's strict decoder into a reused CharBuffer is the baseline (it also decodes, so it does
 * more work, but it is what a naive implementation would use). One operation = one payload.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
public class Utf8ValidatorBenchmark {
    static final int SIZE = 16 * 1024;

    @Param({"ascii", "mixed", "multibyte"})
    public String text;

    private ByteBuffer payload;
    private ByteBuffer decoderInput;
    private final Utf8Validator validator = new Utf8Validator();
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    private final CharBuffer chars = CharBuffer.allocate(SIZE);

    @Setup(Level.Trial)
    public void setUp() {
        String[] pieces = switch (text) {
            case "ascii" -> new String[] {"hello ", "world ", "{\"price\":42} ", "the quick brown fox "};
            case "mixed" -> new String[] {"hello ", "world ", "the quick brown fox ", "café ", "naïve ", "日本 ", "😀 "};
            default -> new String[] {"привет ", "мир ", "日本語 ", "中文 ", "한국어 "};
        };
        var sb = new StringBuilder();
        var random = new Random(3);
        while (sb.toString().getBytes(StandardCharsets.UTF_8).length <= SIZE) {
            sb.append(pieces[random.nextInt(pieces.length)]);
        }
        byte[] bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
        int end = SIZE;
        while ((bytes[end] & 0xC0) == 0x80) {
            end--; // cut on a character boundary
        }
        payload = ByteBuffer.wrap(bytes, 0, end).slice();
        decoderInput = payload.duplicate();
        if (!Utf8Validator.isValid(payload, 0, payload.limit())) {
            throw new IllegalStateException("test text must be valid");
        }
    }

    @Benchmark
    public boolean gustValidator() {
        validator.reset();
        return validator.update(payload, 0, payload.limit()) && validator.isComplete();
    }

    @Benchmark
    public boolean jdkStrictDecoder() {
        decoder.reset();
        chars.clear();
        CoderResult r = decoder.decode(decoderInput.position(0), chars, true);
        return !r.isError();
    }
}
