package dev.gust.websocket;

import java.lang.reflect.Array;
import java.lang.reflect.RecordComponent;
import java.util.Map;

/** The default {@link JsonCodec}: maps, iterables, arrays, records, strings, numbers, booleans, null. */
final class SimpleJson {
    private SimpleJson() {}

    static String encode(Object value) throws ReflectiveOperationException {
        StringBuilder sb = new StringBuilder();
        write(sb, value);
        return sb.toString();
    }

    private static void write(StringBuilder sb, Object v) throws ReflectiveOperationException {
        switch (v) {
            case null -> sb.append("null");
            case CharSequence s -> string(sb, s);
            case Character c -> string(sb, String.valueOf(c));
            case Boolean b -> sb.append(b);
            case Double d when d.isNaN() || d.isInfinite() -> throw new IllegalArgumentException("not JSON: " + d);
            case Float f when f.isNaN() || f.isInfinite() -> throw new IllegalArgumentException("not JSON: " + f);
            case Number n -> sb.append(n);
            case Enum<?> e -> string(sb, e.name());
            case Map<?, ?> m -> {
                sb.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    if (!first) sb.append(',');
                    first = false;
                    string(sb, String.valueOf(e.getKey()));
                    sb.append(':');
                    write(sb, e.getValue());
                }
                sb.append('}');
            }
            case Iterable<?> it -> {
                sb.append('[');
                boolean first = true;
                for (Object o : it) {
                    if (!first) sb.append(',');
                    first = false;
                    write(sb, o);
                }
                sb.append(']');
            }
            case Record r -> {
                sb.append('{');
                boolean first = true;
                for (RecordComponent c : r.getClass().getRecordComponents()) {
                    if (!first) sb.append(',');
                    first = false;
                    string(sb, c.getName());
                    sb.append(':');
                    write(sb, c.getAccessor().invoke(r));
                }
                sb.append('}');
            }
            default -> {
                if (v.getClass().isArray()) {
                    sb.append('[');
                    for (int i = 0, n = Array.getLength(v); i < n; i++) {
                        if (i > 0) sb.append(',');
                        write(sb, Array.get(v, i));
                    }
                    sb.append(']');
                } else {
                    string(sb, v.toString());
                }
            }
        }
    }

    private static void string(StringBuilder sb, CharSequence s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
                    else sb.append(c);
                }
            }
        }
        sb.append('"');
    }
}
