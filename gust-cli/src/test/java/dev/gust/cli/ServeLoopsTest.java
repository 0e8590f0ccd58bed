package dev.gust.cli;

import static org.junit.jupiter.api.Assertions.*;

import dev.gust.websocket.App;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/** {@code gust serve ... --loops 2} really serves on two loop threads, and stops cleanly. */
@Timeout(60)
class ServeLoopsTest {

    /** Runs a server subcommand on a thread until it listens; returns the command's app and its exit code. */
    static Running start(String... args) throws Exception {
        CommandLine cli = new CommandLine(new Main());
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> cli.execute(args),
                r -> Thread.ofPlatform().daemon().start(r));
        Object command = cli.getSubcommands().get(args[0]).getCommand();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        App app;
        while ((app = appOf(command)) == null) {
            if (exit.isDone()) fail("exited early with " + exit.get());
            if (System.nanoTime() > deadline) fail("did not start listening");
            Thread.sleep(20);
        }
        return new Running(app, exit);
    }

    private static App appOf(Object command) {
        return command instanceof ServeCommand s ? s.app : ((DemoCommand) command).app;
    }

    record Running(App app, CompletableFuture<Integer> exit) {
        int stop() throws Exception {
            app.close();
            return exit.get(20, TimeUnit.SECONDS);
        }
    }

    @Test
    void serveHelloOnTwoLoopsAnswersManyConnectionsAndStops() throws Exception {
        Running r = start("serve", "hello", "--loops", "2", "--port", "0", "--host", "127.0.0.1");
        assertEquals(2, r.app().loops().size());
        List<Socket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                Socket s = new Socket("127.0.0.1", r.app().port());
                s.setSoTimeout(10_000);
                sockets.add(s);
                OutputStream out = s.getOutputStream();
                out.write("GET / HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
            for (Socket s : sockets) {
                String answer = readUntil(s.getInputStream(), "Hello, World!", 2);
                assertEquals(2, count(answer, "HTTP/1.1 200"), answer);
            }
            assertTrue(waitFor(() -> r.app().stats().httpConnections() == 20), "connections counted over both loops");
        } finally {
            for (Socket s : sockets) s.close();
        }
        for (var loop : r.app().loops()) assertTrue(loop.isRunning(), loop.name());
        assertEquals(0, r.stop());
        for (var loop : r.app().loops()) assertTrue(loop.isClosed(), "closed: " + loop.name());
    }

    @Test
    void demoRunsOnTheLoopsAskedFor() throws Exception {
        Running r = start("demo", "--loops", "3", "--port", "0", "--host", "127.0.0.1");
        assertEquals(3, r.app().loops().size());
        try (Socket s = new Socket("127.0.0.1", r.app().port())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write("GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertTrue(answer.startsWith("HTTP/1.1 200") && answer.endsWith("ok"), answer);
        }
        assertEquals(0, r.stop());
    }

    @Test
    void demoWithCompressionNegotiatesPermessageDeflate() throws Exception {
        for (String mode : new String[] {"shared", "dedicated", "off"}) {
            Running r = start("demo", "--compression", mode, "--loops", "1", "--port", "0", "--host", "127.0.0.1");
            try (Socket s = new Socket("127.0.0.1", r.app().port())) {
                s.setSoTimeout(10_000);
                s.getOutputStream().write(("GET /chat/lobby?name=ann HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
                        + "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                        + "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                String head = readUntil(s.getInputStream(), "\r\n\r\n", 1);
                assertTrue(head.startsWith("HTTP/1.1 101"), head);
                String extensions = head.toLowerCase(java.util.Locale.ROOT);
                if (mode.equals("off")) {
                    assertFalse(extensions.contains("permessage-deflate"), mode + ": " + head);
                } else {
                    assertTrue(extensions.contains("sec-websocket-extensions: permessage-deflate"), mode + ": " + head);
                    assertEquals(mode.equals("shared"), extensions.contains("server_no_context_takeover"), mode + ": " + head);
                }
            }
            assertEquals(0, r.stop());
        }
    }

    private static String readUntil(InputStream in, String marker, int times) throws Exception {
        StringBuilder sb = new StringBuilder();
        byte[] buf = new byte[4096];
        while (count(sb.toString(), marker) < times) {
            int n = in.read(buf);
            if (n < 0) break;
            sb.append(new String(buf, 0, n, StandardCharsets.US_ASCII));
        }
        return sb.toString();
    }

    private static int count(String s, String part) {
        int n = 0;
        for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + 1)) n++;
        return n;
    }

    private static boolean waitFor(java.util.function.BooleanSupplier c) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > deadline) return false;
            Thread.sleep(10);
        }
        return true;
    }
}
