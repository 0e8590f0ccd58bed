package dev.gust.websocket.pubsub;

/** One subscriber's membership in one target; indexed from both sides for O(1) removal. */
final class Subscription<S> {
    final Subscriber<S> owner;
    final Target<S> target;
    int indexInTarget;
    int indexInOwner;
    /** Set once removed; a publish in progress may still hold this object and must skip it. */
    boolean removed;

    Subscription(Subscriber<S> owner, Target<S> target) {
        this.owner = owner;
        this.target = target;
    }
}
