package dev.gust.websocket;

/**
 * Plain blocking code for one WebSocket connection, run on its own virtual thread.
 *
 * <pre>{@code
 * app.wsBlocking("/echo", ws -> { for (var msg : ws) ws.send(msg); });
 * }</pre>
 *
 * When it returns, the connection is closed with 1000 if still open; if it throws, with 1011.
 */
@FunctionalInterface
public interface BlockingWebSocketHandler<U> {
    void handle(BlockingWebSocket<U> ws) throws Exception;
}
