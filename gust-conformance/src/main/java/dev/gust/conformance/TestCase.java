package dev.gust.conformance;

/** One Autobahn case: its number, description, expectation and the procedure that runs it. */
public record TestCase(String id, String description, String expectation, Body body, Setup setup) {

    /** The case's procedure, written in the straight-line style of Autobahn's onOpen / continueLater. */
    @FunctionalInterface
    public interface Body { void run(CaseRun r) throws Exception; }

    /** How the connection is opened: plain, or offering permessage-deflate. */
    public record Setup(PerMessageDeflate.Offers deflateOffer) {
        public static final Setup PLAIN = new Setup(null);
    }

    public TestCase(String id, String description, String expectation, Body body) {
        this(id, description, expectation, body, Setup.PLAIN);
    }

    /** The case group, e.g. "6" for 6.4.1. */
    public String group() { return id.substring(0, id.indexOf('.')); }

    /** Numeric sort key, so 6.10.1 comes after 6.9.4. */
    public int[] numbers() {
        String[] p = id.split("\\.");
        int[] n = new int[p.length];
        for (int i = 0; i < p.length; i++) n[i] = Integer.parseInt(p[i]);
        return n;
    }
}
