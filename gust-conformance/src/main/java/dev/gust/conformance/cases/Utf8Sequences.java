package dev.gust.conformance.cases;

import static dev.gust.conformance.Payloads.concat;
import static dev.gust.conformance.Payloads.octets;
import static dev.gust.conformance.Payloads.utf8;

import dev.gust.conformance.Payloads;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The UTF-8 decoder test sequences behind cases 6.5.x to 6.23.x, in Autobahn's order (after Markus Kuhn's
 * UTF-8-test.txt). Each sequence is sent as "hello"-free raw text; the server must echo the valid ones and fail
 * the connection (1007) on the invalid ones.
 */
final class Utf8Sequences {
    private Utf8Sequences() {}

    record Sequence(boolean valid, byte[] octets) {}

    record Group(String title, List<Sequence> sequences) {}

    private static Sequence v(String s) { return new Sequence(true, octets(s)); }
    private static Sequence x(String s) { return new Sequence(false, octets(s)); }

    static final byte[] KOSME = octets("\u00ce\u00ba\u00e1\u00bd\u00b9\u00cf\u0083\u00ce\u00bc\u00ce\u00b5");

    static List<Group> groups() {
        List<Group> g = new ArrayList<>();
        g.add(new Group("Some valid UTF-8 sequences", List.of(
                v("hello\u0024world"), v("hello\u00c2\u00a2world"), v("hello\u00e2\u0082\u00acworld"),
                v("hello\u00f0\u00a4\u00ad\u00a2world"), new Sequence(true, KOSME))));
        List<Sequence> prefixes = new ArrayList<>();
        for (int i = 1; i <= KOSME.length; i++) {
            byte[] p = Arrays.copyOf(KOSME, i);
            prefixes.add(new Sequence(Payloads.isValidUtf8(p), p));
        }
        g.add(new Group("All prefixes of a valid UTF-8 string that contains multi-byte code points", prefixes));
        g.add(new Group("First possible sequence of a certain length", List.of(
                v("\u0000"), v("\u00c2\u0080"), v("\u00e0\u00a0\u0080"), v("\u00f0\u0090\u0080\u0080"))));
        g.add(new Group("First possible sequence length 5/6 (invalid codepoints)", List.of(
                x("\u00f8\u0088\u0080\u0080\u0080"), x("\u00fc\u0084\u0080\u0080\u0080\u0080"))));
        g.add(new Group("Last possible sequence of a certain length", List.of(
                v("\u007f"), v("\u00df\u00bf"), v("\u00ef\u00bf\u00bf"), v("\u00f4\u008f\u00bf\u00bf"))));
        g.add(new Group("Last possible sequence length 4/5/6 (invalid codepoints)", List.of(
                x("\u00f7\u00bf\u00bf\u00bf"), x("\u00fb\u00bf\u00bf\u00bf\u00bf"), x("\u00fd\u00bf\u00bf\u00bf\u00bf\u00bf"))));
        g.add(new Group("Other boundary conditions", List.of(
                v("\u00ed\u009f\u00bf"), v("\u00ee\u0080\u0080"), v("\u00ef\u00bf\u00bd"), v("\u00f4\u008f\u00bf\u00bf"),
                x("\u00f4\u0090\u0080\u0080"))));
        StringBuilder allContinuations = new StringBuilder();
        for (int i = 0x80; i < 0xbf; i++) allContinuations.append((char) i);
        g.add(new Group("Unexpected continuation bytes", List.of(
                x("\u0080"), x("\u00bf"), x("\u0080\u00bf"), x("\u0080\u00bf\u0080"), x("\u0080\u00bf\u0080\u00bf"),
                x("\u0080\u00bf\u0080\u00bf\u0080"), x("\u0080\u00bf\u0080\u00bf\u0080\u00bf"), x(allContinuations.toString()))));
        List<Sequence> lonely = new ArrayList<>();
        for (int[] range : new int[][] {{0xc0, 0xdf}, {0xe0, 0xef}, {0xf0, 0xf7}, {0xf8, 0xfb}, {0xfc, 0xfd}}) {
            StringBuilder s = new StringBuilder();
            for (int i = range[0]; i < range[1]; i++) s.append((char) i).append(' ');
            lonely.add(x(s.toString()));
        }
        g.add(new Group("Lonely start characters", lonely));
        String[] missing = {"\u00c0", "\u00e0\u0080", "\u00f0\u0080\u0080", "\u00f8\u0080\u0080\u0080", "\u00fc\u0080\u0080\u0080\u0080",
                "\u00df", "\u00ef\u00bf", "\u00f7\u00bf\u00bf", "\u00fb\u00bf\u00bf\u00bf", "\u00fd\u00bf\u00bf\u00bf\u00bf"};
        List<Sequence> missingSeqs = new ArrayList<>();
        for (String m : missing) missingSeqs.add(x(m));
        g.add(new Group("Sequences with last continuation byte missing", missingSeqs));
        g.add(new Group("Concatenation of incomplete sequences", List.of(x(String.join("", missing)))));
        g.add(new Group("Impossible bytes", List.of(x("\u00fe"), x("\u00ff"), x("\u00fe\u00fe\u00ff\u00ff"))));
        g.add(new Group("Examples of an overlong ASCII character", List.of(
                x("\u00c0\u00af"), x("\u00e0\u0080\u00af"), x("\u00f0\u0080\u0080\u00af"), x("\u00f8\u0080\u0080\u0080\u00af"),
                x("\u00fc\u0080\u0080\u0080\u0080\u00af"))));
        g.add(new Group("Maximum overlong sequences", List.of(
                x("\u00c1\u00bf"), x("\u00e0\u009f\u00bf"), x("\u00f0\u008f\u00bf\u00bf"), x("\u00f8\u0087\u00bf\u00bf\u00bf"),
                x("\u00fc\u0083\u00bf\u00bf\u00bf\u00bf"))));
        g.add(new Group("Overlong representation of the NUL character", List.of(
                x("\u00c0\u0080"), x("\u00e0\u0080\u0080"), x("\u00f0\u0080\u0080\u0080"), x("\u00f8\u0080\u0080\u0080\u0080"),
                x("\u00fc\u0080\u0080\u0080\u0080\u0080"))));
        g.add(new Group("Single UTF-16 surrogates", List.of(
                x("\u00ed\u00a0\u0080"), x("\u00ed\u00ad\u00bf"), x("\u00ed\u00ae\u0080"), x("\u00ed\u00af\u00bf"),
                x("\u00ed\u00b0\u0080"), x("\u00ed\u00be\u0080"), x("\u00ed\u00bf\u00bf"))));
        String[] high = {"\u00ed\u00a0\u0080", "\u00ed\u00ad\u00bf", "\u00ed\u00ae\u0080", "\u00ed\u00af\u00bf"};
        String[] low = {"\u00ed\u00b0\u0080", "\u00ed\u00bf\u00bf"};
        List<Sequence> pairs = new ArrayList<>();
        for (String h : high) for (String l : low) pairs.add(x(h + l));
        g.add(new Group("Paired UTF-16 surrogates", pairs));
        List<Sequence> nonChars = new ArrayList<>();
        nonChars.add(new Sequence(true, utf8(0xfffe)));
        nonChars.add(new Sequence(true, utf8(0xffff)));
        for (int plane = 1; plane <= 0x10; plane++) {
            nonChars.add(new Sequence(true, utf8(plane * 0x10000 + 0xfffe)));
            nonChars.add(new Sequence(true, utf8(plane * 0x10000 + 0xffff)));
        }
        g.add(new Group("Non-character code points (valid UTF-8)", nonChars));
        List<Sequence> specials = new ArrayList<>();
        for (int cp = 0xfff9; cp <= 0xffff; cp++) specials.add(new Sequence(true, utf8(cp)));
        g.add(new Group("Unicode specials (i.e. replacement char)", specials));
        return g;
    }

    static byte[] join(byte[]... parts) { return concat(parts); }
}
