package dev.gust.nio2;

/**
 * What the group needs of its channels to close them all on {@code shutdownNow}: first every
 * channel is marked closed, then each finishes closing. Two steps, so that no pending operation
 * completes normally (say, with the end of stream of a peer in the same group closed just before)
 * after {@code shutdownNow} began: all of them see {@link java.nio.channels.AsynchronousCloseException}.
 */
interface GustChannel {
    /** Marks the channel closed (isOpen() is false from here on) and leaves the group; false if it already was. */
    boolean markClosed();

    /** Closes the socket or listeners and fails pending operations; after {@link #markClosed()}. */
    void finishClose();
}
