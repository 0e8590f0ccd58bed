package dev.gust.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.TimeUnit;

/** Test helper: a real redis-server on a spare loopback port, which tests can kill and restart. */
final class RedisProcess implements AutoCloseable {
    static final String BINARY = System.getenv().getOrDefault("GUST_REDIS_SERVER", "/usr/bin/redis-server");
    final int port;
    private Process process;

    RedisProcess(int port) {
        this.port = port;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static RedisProcess start() throws Exception {
        RedisProcess r = new RedisProcess(freePort());
        r.startProcess();
        return r;
    }

    void startProcess() throws Exception {
        if (!new File(BINARY).canExecute()) {
            throw new IllegalStateException("redis-server not found at " + BINARY
                    + ": run .ci/run or apt-get install redis-server (or set GUST_REDIS_SERVER)");
        }
        process = new ProcessBuilder(BINARY, "--port", String.valueOf(port), "--bind", "127.0.0.1", "--save", "",
                "--appendonly", "no", "--protected-mode", "no")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(20);
            }
        }
        throw new IllegalStateException("redis-server did not start on port " + port);
    }

    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** Freezes redis-server (SIGSTOP): connections stay open but nothing is answered, like a Redis that cannot keep up. */
    void pause() throws Exception {
        signal("-STOP");
    }

    /** Lets a paused redis-server run again (SIGCONT). */
    void resume() throws Exception {
        signal("-CONT");
    }

    private void signal(String sig) throws Exception {
        int rc = new ProcessBuilder("kill", sig, String.valueOf(process.pid())).inheritIO().start().waitFor();
        if (rc != 0) throw new IllegalStateException("kill " + sig + " failed: " + rc);
    }

    /**
     * A raw Redis subscriber to every topic channel ({@code PSUBSCRIBE gust:*}, which PUBSUB NUMSUB
     * does not count): the channel of every message that crossed Redis lands in the queue.
     */
    Observer observe() throws Exception {
        RedisClient c = RedisClient.create(uri());
        var conn = c.connectPubSub();
        Observer o = new Observer(c, conn);
        conn.addListener(new io.lettuce.core.pubsub.RedisPubSubAdapter<>() {
            @Override
            public void message(String pattern, String channel, String message) {
                o.channels.add(channel);
            }
        });
        conn.sync().psubscribe("gust:*");
        return o;
    }

    record Observer(RedisClient client, io.lettuce.core.pubsub.StatefulRedisPubSubConnection<String, String> conn,
                    java.util.concurrent.LinkedBlockingQueue<String> channels) implements AutoCloseable {
        Observer(RedisClient client, io.lettuce.core.pubsub.StatefulRedisPubSubConnection<String, String> conn) {
            this(client, conn, new java.util.concurrent.LinkedBlockingQueue<>());
        }

        @Override
        public void close() {
            conn.close();
            client.shutdown();
        }
    }

    String uri() {
        return "redis://127.0.0.1:" + port;
    }

    /** Subscribers Redis knows for a channel (to wait until a subscription has reached Redis). */
    long numSub(String channel) {
        RedisClient c = RedisClient.create(uri());
        try (StatefulRedisConnection<String, String> conn = c.connect()) {
            return conn.sync().pubsubNumsub(channel).getOrDefault(channel, 0L);
        } finally {
            c.shutdown();
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null) kill();
    }
}
