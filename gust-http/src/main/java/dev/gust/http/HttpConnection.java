package dev.gust.http;

import dev.gust.http.parse.HttpRequestHandler;
import dev.gust.http.parse.HttpRequestHead;
import dev.gust.http.parse.HttpRequestParser;
import dev.gust.http.parse.ParseResult;
import dev.gust.http.response.ResponseHeadWriter;
import dev.gust.http.route.RouteMatch;
import dev.gust.loop.Loop;
import dev.gust.loop.Socket;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * One HTTP/1.1 connection: feeds reads to the parser, dispatches requests to handlers, keeps
 * pipelined responses in order, and hands the socket to another protocol after an upgrade.
 *
 * <p>Ordering rule: while a response has not ended, the parser is paused after that request's end
 * and unparsed bytes wait in {@link #stash} (reading paused), so responses leave in request order.
 */
final class HttpConnection implements HttpRequestHandler {
    private static final System.Logger LOG = System.getLogger("dev.gust.http");
    private static final ByteBuffer CONTINUE = ByteBuffer.wrap("HTTP/1.1 100 Continue\r\n\r\n".getBytes(
            java.nio.charset.StandardCharsets.US_ASCII)).asReadOnlyBuffer();

    final ServerLoop home; // the per-loop part of the server this connection lives on
    final Socket<HttpConnection> socket;
    // HTTP-only state; dropped after an upgrade, so an idle WebSocket keeps none of it.
    private HttpRequestParser parser;
    private RouteMatch<HttpServer.Route> match = new RouteMatch<>();
    private HttpRequest pooledRequest;   // reused by loop handlers: no allocation per request
    private HttpResponse pooledResponse;
    private HttpRequest request;              // the current exchange (fresh objects for blocking handlers,
    private HttpResponse response;            // whose threads may touch them after the next request began)

    private ByteBuffer stash;           // unparsed input while paused (heap copy)
    private boolean inRequest;          // a head arrived and its response has not ended (or its body not read)
    private boolean requestBodyDone;    // the parser delivered onEnd for the current request
    private boolean responseDone;       // the current response ended
    private boolean inFeed;             // re-entrancy guard: responses ending inside parser callbacks
    private boolean headStarted;        // bytes of a new head arrived (header timeout armed)
    private boolean closeAfterResponse; // graceful shutdown or Connection: close
    private boolean errored;
    private boolean finishing;          // last response sent with Connection: close; waiting for the FIN
    private ConnectionTakeover takeover;

    HttpConnection(ServerLoop home, Socket<HttpConnection> socket) {
        this.home = home;
        this.socket = socket;
        this.parser = new HttpRequestParser(home.server.options().limits());
        this.pooledRequest = this.request = new HttpRequest(this);
        this.pooledResponse = this.response = new HttpResponse(this);
    }

    Loop loop() {
        return socket.loop();
    }

    boolean closingAfterResponse() {
        return closeAfterResponse;
    }

    boolean isIdle() {
        return takeover == null && !inRequest && stash == null && parser.isIdle() && !headStarted;
    }

    // ------------------------------------------------------------------ socket events

    void onSocketData(ByteBuffer data) {
        if (takeover != null) {
            takeover.onData(data);
            return;
        }
        if (errored || finishing) return;
        if (stash != null) {
            appendToStash(data);
            return;
        }
        if (!inRequest && !headStarted && data.hasRemaining()) {
            headStarted = true;
            socket.timeout(home.server.options().headerTimeout());
        } else if (inRequest && !requestBodyDone) {
            socket.timeout(home.server.options().idleTimeout()); // body flowing: idle rule
        }
        feed(data);
    }

    private void feed(ByteBuffer data) {
        inFeed = true;
        ParseResult r;
        try {
            r = parser.feed(data, this);
        } finally {
            inFeed = false;
        }
        switch (r) {
            case NEED_MORE -> { }
            case PAUSED -> {
                if (takeover != null) {
                    parser = null; // the connection speaks another protocol now
                    if (data.hasRemaining()) takeover.onData(data);
                } else if (finishing) {
                    data.position(data.limit()); // closing after the last response: read only to see the FIN
                } else if (!socket.isClosed()) {
                    // Keep the rest (maybe nothing): the parser may still owe events (e.g. onEnd)
                    // and resume() feeds the stash, even an empty one, to let it finish.
                    appendToStash(data);
                    socket.pauseReading();
                }
            }
            case CLOSED -> data.position(data.limit()); // the last request ended; its response closes the connection
            case ERROR -> rejectMalformed(parser.errorStatus(), parser.errorReason());
        }
    }

    private void appendToStash(ByteBuffer data) {
        if (stash == null) {
            stash = ByteBuffer.allocate(Math.max(data.remaining(), 1024));
        } else if (stash.remaining() < data.remaining()) {
            ByteBuffer bigger = ByteBuffer.allocate(stash.position() + data.remaining() + 1024);
            stash.flip();
            bigger.put(stash);
            stash = bigger;
        }
        stash.put(data);
    }

    /** Continues parsing stashed input after a pause; loop thread, outside parser callbacks. */
    private void resume() {
        if (takeover != null || socket.isClosed() || errored) return;
        ByteBuffer pending = stash;
        stash = null;
        if (pending != null) {
            pending.flip();
            feed(pending);
            if (stash != null || socket.isClosed()) return; // paused again
        }
        socket.resumeReading();
    }

    void onSocketWritable() {
        if (takeover != null) {
            takeover.onWritable();
            return;
        }
        response.drained();
    }

    void onPeerEnd() {
        if (takeover != null) {
            takeover.onEnd();
            return;
        }
        if (request.bodyPipe != null && !requestBodyDone) request.bodyPipe.fail(new IOException("client closed mid-body"));
        if (inRequest && !responseDone) {
            closeAfterResponse = true; // answer what was asked, then close
        } else {
            socket.shutdown();
        }
    }

    void onSocketClose(int code) {
        home.connectionClosed(this);
        if (takeover != null) {
            takeover.onClose(code);
            return;
        }
        if (request.bodyPipe != null && !requestBodyDone) request.bodyPipe.fail(new IOException("connection closed"));
        if (inRequest) response.aborted();
    }

    void onSocketTimeout() {
        if (takeover != null) {
            takeover.onTimeout();
            return;
        }
        if (inRequest && !responseDone) {
            // The handler is working (or streaming): the idle rule does not apply to it.
            socket.timeout(home.server.options().idleTimeout());
            return;
        }
        if (headStarted || parser.isReadingHead()) {
            LOG.log(System.Logger.Level.INFO, "408: request head not received in time from {0}", socket.remoteAddress());
            writeError(408);
            return;
        }
        socket.close(dev.gust.loop.CloseCode.TIMEOUT);
    }

    void onSocketLongTimeout() {
        if (takeover != null) takeover.onLongTimeout();
        else socket.close(dev.gust.loop.CloseCode.TIMEOUT);
    }

    /** Graceful shutdown: close now if idle, else after the current response. */
    void shutdownGracefully() {
        if (takeover != null) {
            takeover.onServerShutdown();
            return;
        }
        closeAfterResponse = true;
        if (isIdle()) socket.close();
    }

    // ------------------------------------------------------------------ parser events

    @Override
    public boolean onHead(HttpRequestHead head) {
        headStarted = false;
        inRequest = true;
        requestBodyDone = false;
        responseDone = false;
        socket.timeout(home.server.options().idleTimeout());
        RouteMatch.Outcome outcome = home.server.router().match(head, match);
        boolean blocking = outcome == RouteMatch.Outcome.FOUND && match.handler().blocking() && !head.isUpgrade();
        request = blocking ? new HttpRequest(this) : pooledRequest;
        response = blocking ? new HttpResponse(this) : pooledResponse;
        request.begin(head, outcome == RouteMatch.Outcome.FOUND ? match : null);
        response.begin(head.keepAlive() && !closeAfterResponse, head.versionMinor() == 0,
                head.method() == HttpMethod.HEAD);
        if (outcome == RouteMatch.Outcome.NOT_FOUND) {
            response.status(404).end();
            return true;
        }
        if (outcome == RouteMatch.Outcome.METHOD_NOT_ALLOWED) {
            response.status(405).header("Allow", match.allow()).end();
            return true;
        }
        HttpServer.Route route = match.handler();
        if (route.upgradeHandler() != null && head.isUpgrade()) {
            invokeOnLoop(route.upgradeHandler());
            // After a takeover the rest of the input belongs to the new protocol: pause the parser.
            return takeover == null;
        }
        if (route.handler() == null) {
            // only an upgrade route here, and this is not an upgrade request
            response.status(426).header("Upgrade", "websocket").header("Connection", "Upgrade").end();
            return true;
        }
        if (head.expectContinue() && head.hasBody()) {
            socket.write(CONTINUE.duplicate(), true);
        }
        if (route.blocking()) {
            startBlocking(route.handler(), head);
        } else {
            invokeOnLoop(route.handler());
        }
        return true;
    }

    private void invokeOnLoop(HttpHandler handler) {
        try {
            handler.handle(request, response);
        } catch (Throwable t) {
            if (t instanceof VirtualMachineError vme) throw vme;
            LOG.log(System.Logger.Level.WARNING, "handler failed for " + request, t);
            response.fail();
        }
    }

    private void startBlocking(HttpHandler handler, HttpRequestHead head) {
        HttpRequest request = this.request.detach();
        HttpResponse response = this.response;
        if (head.hasBody()) request.bodyPipe = new BodyPipe(() -> loop().defer(this::resume));
        home.server.blockingExecutor().execute(() -> {
            try {
                handler.handle(request, response);
                if (!response.isEnded()) response.end();
            } catch (Throwable t) {
                if (t instanceof VirtualMachineError vme) throw vme;
                LOG.log(System.Logger.Level.WARNING, "blocking handler failed for " + request, t);
                try {
                    loop().defer(response::fail);
                } catch (java.util.concurrent.RejectedExecutionException closed) {
                    // server gone
                }
            }
        });
    }

    void bodyHandlerSet() {
        // nothing to do now: onBody routes to request.bodyHandler
    }

    @Override
    public boolean onBody(ByteBuffer chunk) {
        if (request.bodyHandler != null) {
            try {
                request.bodyHandler.onData(chunk, false);
            } catch (Throwable t) {
                if (t instanceof VirtualMachineError vme) throw vme;
                LOG.log(System.Logger.Level.WARNING, "body handler failed for " + request, t);
                request.bodyHandler = null;
                response.fail();
            }
            return true;
        }
        if (request.bodyPipe != null) return request.bodyPipe.offer(chunk);
        chunk.position(chunk.limit()); // nobody wants it: discard
        return true;
    }

    @Override
    public boolean onEnd() {
        requestBodyDone = true;
        if (request.bodyHandler != null) {
            try {
                request.bodyHandler.onData(ByteBuffer.allocate(0), true);
            } catch (Throwable t) {
                if (t instanceof VirtualMachineError vme) throw vme;
                LOG.log(System.Logger.Level.WARNING, "body handler failed for " + request, t);
                response.fail();
            }
        }
        if (request.bodyPipe != null) request.bodyPipe.finish();
        if (responseDone) {
            return completeRequest();
        }
        return false; // pause: the next pipelined request waits for this response
    }

    /** The response ended (called by {@link HttpResponse}). */
    void responseEnded() {
        responseDone = true;
        if (response.closeAfter()) closeAfterResponse = true;
        if (!requestBodyDone) {
            if (closeAfterResponse) socket.shutdown(); // unread body: no point reading it
            return; // the parser finishes reading (and discarding) the body
        }
        if (inFeed) return; // onEnd / onHead return path continues parsing
        if (completeRequest()) resume();
    }

    /** Both sides of the exchange are done. Returns true to continue with the next request. */
    private boolean completeRequest() {
        inRequest = false;
        if (closeAfterResponse) {
            finishing = true;
            stash = null;
            socket.shutdown();
            socket.resumeReading(); // see the peer's FIN so the socket can close
            return false;
        }
        socket.timeout(home.server.options().idleTimeout());
        return true;
    }

    private void rejectMalformed(int status, String reason) {
        LOG.log(System.Logger.Level.INFO, "{0}: {1} from {2}", status, reason, socket.remoteAddress());
        errored = true;
        writeError(status);
    }

    /** Writes a body-less error response and closes after it (unless a response is already streaming). */
    private void writeError(int status) {
        if (inRequest && response.isStarted() && !responseDone) {
            socket.abort();
            return;
        }
        ByteBuffer out = ByteBuffer.allocate(256);
        ResponseHeadWriter w = home.headWriter;
        w.writeError(out, status);
        out.flip();
        socket.write(out, false);
        socket.shutdown();
        socket.shutdownRead();
    }

    // ------------------------------------------------------------------ upgrade

    void takeOver(ByteBuffer responseHead, ConnectionTakeover protocol) {
        this.takeover = protocol;
        this.inRequest = false;
        this.stash = null;
        // The parser may still be on the stack (we are inside its onHead); it returns PAUSED at once
        // and feed() only looks at takeover afterwards, so the HTTP objects can go now.
        this.match = null;
        this.pooledRequest = null;
        this.pooledResponse = null;
        this.request = null;
        this.response = null;
        socket.timeout(null);
        socket.write(responseHead, false);
        // upgraded connections stay tracked by their loop so graceful shutdown reaches them
    }
}
