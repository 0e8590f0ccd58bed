package dev.gust.conformance;

/** RFC 6455 section 7.4 close codes: which may appear in a close frame on the wire. */
public final class CloseCodes {
    private CloseCodes() {}

    public static boolean isValidOnWire(int code) {
        if (code >= 3000 && code <= 4999) return true;
        return switch (code) {
            case 1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014 -> true;
            default -> false;
        };
    }
}
