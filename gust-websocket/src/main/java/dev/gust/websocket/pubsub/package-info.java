/**
 * In-process publish/subscribe for one event loop: {@link dev.gust.websocket.pubsub.TopicRegistry}
 * maps topics (and optional MQTT-style filters) to subscribers and delivers through a callback.
 */
package dev.gust.websocket.pubsub;
