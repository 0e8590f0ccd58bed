package dev.gust.loop.spi;

/** Receives readiness from a {@link Poller}: called on the loop thread, once per ready handle per poll. */
@FunctionalInterface
public interface Readiness {
    /** Ready-operation bits; a handle's interest uses the same bits. */
    int READ = 1, WRITE = 4, CONNECT = 8, ACCEPT = 16;

    /**
     * @param attachment the object given when the handle was opened
     * @param readyOps   a set of {@link #READ}, {@link #WRITE}, {@link #CONNECT}, {@link #ACCEPT}
     */
    void ready(Object attachment, int readyOps);
}
