package dev.gust.conformance;

import java.util.List;

/**
 * Autobahn's {@code expectedClose}: who must start the closing handshake, which close codes the server may send
 * (no code at all is always acceptable), whether the TCP close must be clean, and whether closing by the wrong
 * endpoint fails the whole case (the UTF-8 cases: then the server did not notice the invalid text at all).
 */
public record ExpectedClose(boolean closedByMe, List<Integer> closeCodes, boolean requireClean,
                            boolean closedByWrongEndpointIsFatal) {

    /** The client closes with 1000 once it has what it expects; the server must answer cleanly. */
    public static ExpectedClose normal() { return new ExpectedClose(true, List.of(1000), true, false); }

    /** The server must fail the connection with one of {@code codes} (no clean TCP close required). */
    public static ExpectedClose failedByServer(Integer... codes) { return new ExpectedClose(false, List.of(codes), false, false); }

    public ExpectedClose fatalIfWrongEndpoint() { return new ExpectedClose(closedByMe, closeCodes, requireClean, true); }
}
