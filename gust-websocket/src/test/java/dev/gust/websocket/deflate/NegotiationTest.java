package dev.gust.websocket.deflate;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class NegotiationTest {
    private static String server(String offer, boolean serverResets, boolean clientResets) {
        DeflateParameters p = ServerNegotiation.negotiate(offer, serverResets, clientResets);
        return p == null ? null : p.toHeaderValue();
    }

    private static String server(String offer) {
        return server(offer, false, false);
    }

    @Test
    void noOfferNoExtension() {
        assertNull(server(null));
        assertNull(server(""));
        assertNull(server("x-webkit-deflate-frame"), "never accepts an extension that was not offered");
    }

    @Test
    void plainOffer() {
        assertEquals("permessage-deflate", server("permessage-deflate"));
        assertEquals("permessage-deflate", server("PerMessage-Deflate"));
    }

    @Test
    void bareClientMaxWindowBitsAsBrowsersSend() {
        assertEquals("permessage-deflate", server("permessage-deflate; client_max_window_bits"),
                "accepted; not named back since the inflater takes any window");
        assertEquals("permessage-deflate", server("permessage-deflate; client_max_window_bits=10"));
        assertEquals("permessage-deflate", server("permessage-deflate; client_max_window_bits=\"12\""));
    }

    @Test
    void serverNoContextTakeoverIsEchoedOrAdded() {
        assertEquals("permessage-deflate; server_no_context_takeover", server("permessage-deflate; server_no_context_takeover"));
        assertEquals("permessage-deflate; server_no_context_takeover", server("permessage-deflate", true, false),
                "a shared compressor needs it even when not offered (7.1.1.1 allows)");
    }

    @Test
    void clientNoContextTakeoverHintOrRequest() {
        assertEquals("permessage-deflate; client_no_context_takeover", server("permessage-deflate; client_no_context_takeover"));
        assertEquals("permessage-deflate; client_no_context_takeover", server("permessage-deflate", false, true));
        assertEquals("permessage-deflate; server_no_context_takeover; client_no_context_takeover",
                server("permessage-deflate; client_max_window_bits", true, true));
    }

    @Test
    void serverMaxWindowBits() {
        assertEquals("permessage-deflate; server_max_window_bits=15", server("permessage-deflate; server_max_window_bits=15"),
                "accepted offers with the parameter must name it");
        assertEquals("permessage-deflate; server_no_context_takeover; server_max_window_bits=10",
                server("permessage-deflate; server_max_window_bits=10"),
                "a window under 15 bits is kept by resetting per message; 7.1.1.1 lets the server add server_no_context_takeover");
        assertEquals("permessage-deflate; server_no_context_takeover; server_max_window_bits=10",
                server("permessage-deflate; server_max_window_bits=10; server_no_context_takeover"));
        assertEquals("permessage-deflate; server_no_context_takeover; server_max_window_bits=8",
                server("permessage-deflate; server_max_window_bits=8", true, false), "a shared compressor resets anyway");
    }

    @Test
    void invalidOffersAreDeclined() {
        for (String bad : new String[] {
                "permessage-deflate; server_max_window_bits", "permessage-deflate; server_max_window_bits=7",
                "permessage-deflate; server_max_window_bits=16", "permessage-deflate; server_max_window_bits=010",
                "permessage-deflate; client_max_window_bits=7", "permessage-deflate; client_max_window_bits=abc",
                "permessage-deflate; server_no_context_takeover=1", "permessage-deflate; client_no_context_takeover=x",
                "permessage-deflate; server_no_context_takeover; server_no_context_takeover",
                "permessage-deflate; client_max_window_bits; client_max_window_bits=9",
                "permessage-deflate; unknown_param", "permessage-deflate; a b"}) {
            assertNull(server(bad), bad);
        }
        assertEquals("permessage-deflate; client_no_context_takeover",
                server("permessage-deflate; foo=1, permessage-deflate; client_no_context_takeover"));
    }

    @Test
    void clientOffer() {
        assertEquals("permessage-deflate", ClientNegotiation.offer(false, false));
        assertEquals("permessage-deflate; server_no_context_takeover; client_no_context_takeover", ClientNegotiation.offer(true, true));
    }

    @Test
    void clientAcceptsValidResponses() {
        assertNull(ClientNegotiation.accept(null));
        assertNull(ClientNegotiation.accept(""));
        DeflateParameters p = ClientNegotiation.accept("permessage-deflate; server_no_context_takeover; client_no_context_takeover; server_max_window_bits=9");
        assertTrue(p.serverNoContextTakeover());
        assertTrue(p.clientNoContextTakeover());
        assertEquals(9, p.serverMaxWindowBits());
    }

    @Test
    void clientFailsOnResponsesItMustNotAccept() {
        for (String bad : new String[] {
                "x-foo", "permessage-deflate, permessage-deflate", "permessage-deflate, x-foo",
                "permessage-deflate; client_max_window_bits=10", "permessage-deflate; server_max_window_bits=16",
                "permessage-deflate; what", "permessage-deflate; server_no_context_takeover; server_no_context_takeover"}) {
            assertThrows(IllegalArgumentException.class, () -> ClientNegotiation.accept(bad), bad);
        }
    }
}
