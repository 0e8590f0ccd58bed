package dev.gust.websocket.handshake;

/**
 * Scans comma-separated header values ({@code #token} lists of RFC 9110 section 5.6.1) in place,
 * without splitting into new strings.
 */
final class HeaderTokens {
    private HeaderTokens() {}

    /** Whether {@code value} lists {@code token}, compared ignoring ASCII case; null means absent. */
    static boolean containsIgnoreCase(String value, String token) {
        return indexOf(value, token, true) >= 0;
    }

    /**
     * Start of the first list element equal to {@code token} (after optional whitespace), or -1.
     * Empty elements ({@code "a, ,b"}) are skipped as the list syntax allows.
     */
    static int indexOf(String value, String token, boolean ignoreCase) {
        if (value == null || token.isEmpty()) {
            return -1;
        }
        int length = value.length();
        int i = 0;
        while (i <= length) {
            int end = value.indexOf(',', i);
            if (end < 0) {
                end = length;
            }
            int start = skipSpaceForward(value, i, end);
            int stop = skipSpaceBackward(value, start, end);
            if (stop - start == token.length() && value.regionMatches(ignoreCase, start, token, 0, token.length())) {
                return start;
            }
            i = end + 1;
        }
        return -1;
    }

    static int skipSpaceForward(String s, int from, int to) {
        while (from < to && isSpace(s.charAt(from))) {
            from++;
        }
        return from;
    }

    static int skipSpaceBackward(String s, int from, int to) {
        while (to > from && isSpace(s.charAt(to - 1))) {
            to--;
        }
        return to;
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t';
    }
}
