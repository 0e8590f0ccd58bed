package dev.gust.channels;

import java.util.function.Consumer;

/**
 * One case of a {@link Select#select select}: created by {@link Channel#onReceive},
 * {@link Channel#onSend}, {@link Select#defaultCase}, {@link Select#timeout} or
 * {@link Select#disabled}. Immutable, so a case may be built once and reused in many selects.
 */
public final class SelectCase {
    static final int RECEIVE = 0;
    static final int SEND = 1;
    static final int DEFAULT = 2;
    static final int TIMEOUT = 3;
    static final int DISABLED = 4;

    static final SelectCase NEVER = new SelectCase(DISABLED, null, null, null, null, null, 0);

    final int kind;
    final Channel<?> channel;
    final Object element;
    final Consumer<Object> onReceive;
    final Runnable action; // send completed, default, timeout
    final Runnable onClosed;
    final long nanos;

    @SuppressWarnings("unchecked")
    private SelectCase(int kind, Channel<?> channel, Object element, Consumer<?> onReceive, Runnable action,
                       Runnable onClosed, long nanos) {
        this.kind = kind;
        this.channel = channel;
        this.element = element;
        this.onReceive = (Consumer<Object>) onReceive;
        this.action = action;
        this.onClosed = onClosed;
        this.nanos = nanos;
    }

    static SelectCase receive(Channel<?> ch, Consumer<?> action, Runnable onClosed) {
        return new SelectCase(RECEIVE, ch, null, action, null, onClosed, 0);
    }

    static SelectCase send(Channel<?> ch, Object element, Runnable action) {
        return new SelectCase(SEND, ch, element, null, action, null, 0);
    }

    static SelectCase otherwise(Runnable action) {
        return new SelectCase(DEFAULT, null, null, null, action, null, 0);
    }

    static SelectCase timeout(long nanos, Runnable action) {
        return new SelectCase(TIMEOUT, null, null, null, action, null, nanos);
    }

    boolean isChannelCase() {
        return kind <= SEND;
    }

    /** Runs this case's action after it won with {@code result} (an element, null, or CLOSED). */
    void complete(Object result) {
        switch (kind) {
            case RECEIVE -> {
                if (result == Channel.CLOSED) {
                    if (onClosed == null) {
                        throw channel.closedForReceive();
                    }
                    onClosed.run();
                } else {
                    onReceive.accept(result);
                }
            }
            case SEND -> {
                if (result == Channel.CLOSED) {
                    throw channel.closedForSend();
                }
                if (action != null) {
                    action.run();
                }
            }
            default -> {
                if (action != null) {
                    action.run();
                }
            }
        }
    }

    @Override
    public String toString() {
        return switch (kind) {
            case RECEIVE -> "receive(" + channel + ")";
            case SEND -> "send(" + channel + ")";
            case DEFAULT -> "default";
            case TIMEOUT -> "timeout(" + nanos + "ns)";
            default -> "disabled";
        };
    }
}
