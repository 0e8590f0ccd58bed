package dev.gust.http.parse;

import dev.gust.http.HttpMethod;
import dev.gust.http.PercentDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A parsed request head, read in place: it records offsets into the bytes the head arrived in and
 * turns them into strings only when asked, so parsing a request allocates nothing.
 *
 * <pre>{@code
 * boolean onHead(HttpRequestHead head) {
 *     if (head.method() == HttpMethod.GET && head.rawPath().equals("/search")) {
 *         String q = head.queryParam("q");       // percent-decoded, "+" as space
 *         String host = head.header("host");     // case-insensitive name
 *     }
 *     return true;
 * }
 * }</pre>
 *
 * <p><b>Lifetime.</b> The head is valid from {@code onHead} until its request's {@code onEnd}
 * returns, even when the body spans several reads (the parser then keeps a copy). If the parser
 * pauses or returns {@link ParseResult#CLOSED}, it stays valid until the next request begins. To use it after {@code onEnd} without
 * pausing, call {@link #detach()}. One instance is reused for every request of a connection; it is
 * not thread-safe.
 */
public final class HttpRequestHead {
    private static final int FIELD_SLOTS = 4;   // name offset, name length, value offset, value length

    private final HeadBuffer storage;
    private final PercentDecoder decoder = new PercentDecoder();
    private final ListElements elements = new ListElements();
    private byte[] scratch = new byte[128];

    // Where the head lives and how long it is.
    ByteBuffer src;
    int start;
    int length;

    // Request line.
    HttpMethod method;
    int methodOffset;
    int methodLength;
    int targetOffset;
    int targetLength;
    int pathOffset;
    int pathLength;
    int queryOffset;
    int queryLength;
    int versionMinor;

    // Header fields as offsets into src.
    int headerCount;
    int[] fields = new int[FIELD_SLOTS * 16];
    byte[] kinds = new byte[16];

    // Message semantics, decided by RequestSemantics.
    long contentLength;
    boolean chunked;
    boolean keepAlive;
    boolean expectContinue;
    boolean upgrade;

    // Strings materialised on demand, once per request.
    private String methodName;
    private String target;
    private String rawPath;
    private String path;
    private String query;

    HttpRequestHead(HeadBuffer storage) {
        this.storage = storage;
    }

    void reset(ByteBuffer src, int start) {
        this.src = src;
        this.start = start;
        length = 0;
        headerCount = 0;
        queryOffset = -1;
        queryLength = 0;
        contentLength = 0;
        chunked = keepAlive = expectContinue = upgrade = false;
        methodName = target = rawPath = path = query = null;
    }

    void addHeader(int nameOffset, int nameLength, int valueOffset, int valueLength, byte kind) {
        int i = headerCount;
        if (i == kinds.length) {
            fields = java.util.Arrays.copyOf(fields, fields.length * 2);
            kinds = java.util.Arrays.copyOf(kinds, kinds.length * 2);
        }
        int f = i * FIELD_SLOTS;
        fields[f] = nameOffset;
        fields[f + 1] = nameLength;
        fields[f + 2] = valueOffset;
        fields[f + 3] = valueLength;
        kinds[i] = kind;
        headerCount = i + 1;
    }

    // ---- request line ----

    /** The method; {@link HttpMethod#OTHER} for extension methods (see {@link #methodName()}). */
    public HttpMethod method() {
        return method;
    }

    /** The method token as sent, e.g. {@code "GET"} or {@code "PROPFIND"}. */
    public String methodName() {
        if (methodName == null) {
            methodName = method != HttpMethod.OTHER ? method.name() : latin1(methodOffset, methodLength);
        }
        return methodName;
    }

    /** The request-target exactly as sent (origin-, absolute-, authority- or asterisk-form). */
    public String target() {
        if (target == null) target = latin1(targetOffset, targetLength);
        return target;
    }

    /**
     * The path as sent, without the query and not percent-decoded; for an absolute-form target
     * ({@code http://host/p}) the path part, {@code "/"} if it has none.
     */
    public String rawPath() {
        if (rawPath == null) rawPath = pathLength == 0 ? "/" : latin1(pathOffset, pathLength);
        return rawPath;
    }

    /** The percent-decoded path (UTF-8); {@code %2F} becomes {@code /}, so route on {@link #rawPath()}. */
    public String path() {
        if (path == null) path = pathLength == 0 ? "/" : decoder.decode(src, pathOffset, pathLength, false);
        return path;
    }

    /** The query after {@code ?}, not decoded, or {@code null} if the target has no {@code ?}. */
    public String query() {
        if (query == null && queryOffset >= 0) query = latin1(queryOffset, queryLength);
        return query;
    }

    /**
     * The first value of query parameter {@code name}, percent-decoded with {@code +} as space;
     * {@code ""} for a bare {@code name} without {@code =}; {@code null} if absent.
     */
    public String queryParam(String name) {
        if (queryOffset < 0) return null;
        int end = queryOffset + queryLength;
        int i = queryOffset;
        while (i <= end) {
            int pairEnd = i;
            while (pairEnd < end && src.get(pairEnd) != '&') pairEnd++;
            int eq = i;
            while (eq < pairEnd && src.get(eq) != '=') eq++;
            if (eq > i && decoder.decodesTo(src, i, eq - i, true, name)) {
                return eq == pairEnd ? "" : decoder.decode(src, eq + 1, pairEnd - eq - 1, true);
            }
            i = pairEnd + 1;
        }
        return null;
    }

    /** 0 for HTTP/1.0, 1 for HTTP/1.1 (and later 1.x minors, which are handled as 1.1). */
    public int versionMinor() {
        return versionMinor;
    }

    // ---- header fields ----

    /** Number of header fields, in the order received. */
    public int headerCount() {
        return headerCount;
    }

    /** The name of field {@code index} as sent (original case). */
    public String headerName(int index) {
        checkIndex(index);
        return latin1(fields[index * FIELD_SLOTS], fields[index * FIELD_SLOTS + 1]);
    }

    /** The value of field {@code index}, without surrounding whitespace (ISO-8859-1). */
    public String headerValue(int index) {
        checkIndex(index);
        return latin1(fields[index * FIELD_SLOTS + 2], fields[index * FIELD_SLOTS + 3]);
    }

    /** Whether field {@code index} is named {@code name}, ignoring ASCII case; allocates nothing. */
    public boolean headerNameIs(int index, String name) {
        checkIndex(index);
        int f = index * FIELD_SLOTS;
        return ListElements.equalsIgnoreCase(src, fields[f], fields[f + 1], name);
    }

    /** Index of the first field named {@code name} at or after {@code from} (case-insensitive), or -1. */
    public int headerIndex(String name, int from) {
        for (int i = Math.max(0, from); i < headerCount; i++) {
            int f = i * FIELD_SLOTS;
            if (ListElements.equalsIgnoreCase(src, fields[f], fields[f + 1], name)) return i;
        }
        return -1;
    }

    /** The first value of header {@code name} (case-insensitive), or {@code null}. */
    public String header(String name) {
        int i = headerIndex(name, 0);
        return i < 0 ? null : headerValue(i);
    }

    /** Whether a header named {@code name} is present; allocates nothing. */
    public boolean hasHeader(String name) {
        return headerIndex(name, 0) >= 0;
    }

    /**
     * Whether any {@code name} field lists {@code token} as one of its comma-separated elements,
     * ignoring case (e.g. {@code headerHasToken("connection", "upgrade")}); allocates nothing.
     */
    public boolean headerHasToken(String name, String token) {
        for (int i = headerIndex(name, 0); i >= 0; i = headerIndex(name, i + 1)) {
            int f = i * FIELD_SLOTS;
            ListElements list = elements.reset(src, fields[f + 2], fields[f + 3]);
            while (list.next()) {
                if (list.is(token)) return true;
            }
        }
        return false;
    }

    // ---- message semantics ----

    /** The body length from Content-Length; 0 without a body; -1 when the body is chunked. */
    public long contentLength() {
        return chunked ? -1 : contentLength;
    }

    /** Whether the body uses chunked transfer coding. */
    public boolean isChunked() {
        return chunked;
    }

    /** Whether the request has a body (chunked, or a Content-Length above 0). */
    public boolean hasBody() {
        return chunked || contentLength > 0;
    }

    /**
     * Whether the connection may stay open after this request: HTTP/1.1 unless
     * {@code Connection: close}; HTTP/1.0 only with {@code Connection: keep-alive}.
     */
    public boolean keepAlive() {
        return keepAlive;
    }

    /** Whether the client sent {@code Expect: 100-continue} (HTTP/1.1) and waits for a 100 response. */
    public boolean expectContinue() {
        return expectContinue;
    }

    /**
     * Whether the client asks to switch protocols: an {@code Upgrade} header together with
     * {@code Connection: upgrade} on HTTP/1.1. Check the protocol with
     * {@code headerHasToken("upgrade", "websocket")}.
     */
    public boolean isUpgrade() {
        return upgrade;
    }

    /** Size of the request line plus header section, including the final empty line. */
    public int headLength() {
        return length;
    }

    // ---- zero-copy access for routing ----

    /** The buffer holding the head; with {@link #pathOffset()} it lets a router match in place. */
    public ByteBuffer source() {
        return src;
    }

    /** Offset of the raw path in {@link #source()}. */
    public int pathOffset() {
        return pathOffset;
    }

    /** Length of the raw path in {@link #source()}; 0 for an absolute-form target without a path. */
    public int pathLength() {
        return pathLength;
    }

    /**
     * Copies the head into per-connection storage so it outlives the read buffer; it then stays
     * valid until the parser begins the next request. Copies nothing if it is already stored.
     */
    public HttpRequestHead detach() {
        if (src == storage.view()) return this;
        storage.clear();
        storage.append(src, start, length);
        int delta = -start;
        src = storage.view();
        start = 0;
        methodOffset += delta;
        targetOffset += delta;
        pathOffset += delta;
        if (queryOffset >= 0) queryOffset += delta;
        for (int i = 0; i < headerCount; i++) {
            fields[i * FIELD_SLOTS] += delta;
            fields[i * FIELD_SLOTS + 2] += delta;
        }
        return this;
    }

    boolean isStored() {
        return src == storage.view();
    }

    int valueOffset(int index) {
        return fields[index * FIELD_SLOTS + 2];
    }

    int valueLength(int index) {
        return fields[index * FIELD_SLOTS + 3];
    }

    private void checkIndex(int index) {
        if (index < 0 || index >= headerCount) {
            throw new IndexOutOfBoundsException("header " + index + " of " + headerCount);
        }
    }

    private String latin1(int offset, int len) {
        if (src.hasArray()) {
            return new String(src.array(), src.arrayOffset() + offset, len, StandardCharsets.ISO_8859_1);
        }
        if (scratch.length < len) scratch = new byte[Math.max(len, scratch.length * 2)];
        src.get(offset, scratch, 0, len);
        return new String(scratch, 0, len, StandardCharsets.ISO_8859_1);
    }

    @Override
    public String toString() {
        return src == null ? "HttpRequestHead[]" : methodName() + " " + target() + " HTTP/1." + versionMinor
                + " (" + headerCount + " headers)";
    }
}
