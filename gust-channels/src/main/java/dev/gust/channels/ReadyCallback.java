package dev.gust.channels;

/** A one-shot readiness callback in a channel's (LIFO) callback list. Guarded by the channel lock. */
final class ReadyCallback {
    final Runnable action;
    ReadyCallback next;

    ReadyCallback(Runnable action, ReadyCallback next) {
        this.action = action;
        this.next = next;
    }

    /** Runs every callback of a detached list; one throwing does not stop the others. */
    static void runAll(ReadyCallback list) {
        RuntimeException first = null;
        for (ReadyCallback c = list; c != null; c = c.next) {
            try {
                c.action.run();
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
