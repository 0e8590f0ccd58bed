package dev.gust.loop;

/**
 * Something the loop must close when it closes (sockets, listeners, UDP sockets). Kept in an
 * intrusive list so registering and removing allocate nothing.
 */
abstract class LoopResource {
    LoopResource prevResource, nextResource;
    boolean registered;

    /** Readiness reported by the poller for this resource's handle (loop thread). */
    abstract void onReady(int readyOps);

    /** Closes this resource because its loop is closing; runs its close callback. */
    abstract void closeForLoopShutdown();
}
