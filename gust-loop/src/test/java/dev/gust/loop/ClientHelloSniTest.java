package dev.gust.loop;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class ClientHelloSniTest {

    /** The first flight of a real JDK client: a ClientHello record. */
    private static ByteBuffer clientHello(String serverName) throws Exception {
        SSLEngine engine = SSLContext.getDefault().createSSLEngine();
        engine.setUseClientMode(true);
        if (serverName != null) {
            SSLParameters p = engine.getSSLParameters();
            p.setServerNames(List.of(new SNIHostName(serverName)));
            engine.setSSLParameters(p);
        }
        ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        engine.wrap(ByteBuffer.allocate(0), out);
        return out.flip();
    }

    @Test
    void readsTheServerNameOfARealClientHello() throws Exception {
        assertEquals("example.org", ClientHelloSni.serverName(clientHello("Example.ORG")));
    }

    @Test
    void noServerNameMeansNone() throws Exception {
        assertSame(ClientHelloSni.NONE, ClientHelloSni.serverName(clientHello(null)));
    }

    @Test
    void partialRecordNeedsMoreBytes() throws Exception {
        ByteBuffer hello = clientHello("example.org");
        for (int cut : new int[] {0, 1, 4, 5, 40, hello.remaining() - 1}) {
            assertNull(ClientHelloSni.serverName(hello.duplicate().limit(cut)), "cut at " + cut);
        }
    }

    @Test
    void garbageIsNoneAtOnce() {
        assertSame(ClientHelloSni.NONE, ClientHelloSni.serverName(ByteBuffer.wrap("G".getBytes(StandardCharsets.US_ASCII))));
        assertSame(ClientHelloSni.NONE,
                ClientHelloSni.serverName(ByteBuffer.wrap("GET / HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII))));
        // a handshake record whose body is not a ClientHello
        assertSame(ClientHelloSni.NONE, ClientHelloSni.serverName(ByteBuffer.wrap(new byte[] {22, 3, 1, 0, 4, 2, 0, 0, 0})));
        // a truncated ClientHello body
        assertSame(ClientHelloSni.NONE, ClientHelloSni.serverName(ByteBuffer.wrap(new byte[] {22, 3, 1, 0, 6, 1, 0, 0, 2, 3, 3})));
    }
}
