package dev.gust.conformance;

/** Autobahn|Testsuite's verdicts, in the order a summary lists them. */
public enum Verdict {
    OK("OK"), NON_STRICT("NON-STRICT"), INFORMATIONAL("INFORMATIONAL"), UNIMPLEMENTED("UNIMPLEMENTED"), FAILED("FAILED");

    public final String label;

    Verdict(String label) { this.label = label; }

    /** True for the verdicts that make a run fail (and {@code ./gust conformance} exit non-zero). */
    public boolean isFailure() { return this == FAILED || this == UNIMPLEMENTED; }
}
