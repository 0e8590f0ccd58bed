package dev.gust.websocket;

/**
 * Turns objects into JSON text for {@link WebSocket#sendJson}. Plug in your JSON library:
 *
 * <pre>{@code
 * ObjectMapper mapper = new ObjectMapper();
 * Gust.app().json(mapper::writeValueAsString)...
 * }</pre>
 *
 * The default, {@link #simple()}, handles maps, iterables, arrays, records, strings, numbers,
 * booleans and null.
 */
@FunctionalInterface
public interface JsonCodec {
    String encode(Object value) throws Exception;

    /** A small dependency-free encoder; see the class description for what it supports. */
    static JsonCodec simple() {
        return SimpleJson::encode;
    }
}
