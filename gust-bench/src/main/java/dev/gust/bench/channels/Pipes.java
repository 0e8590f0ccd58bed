package dev.gust.bench.channels;

import com.softwaremill.jox.Channel;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.SynchronousQueue;

/**
 * One blocking send/receive abstraction over Gust, jox and java.util.concurrent queues. Every JMH
 * fork runs one implementation only, so the interface calls stay monomorphic.
 */
interface Pipe {
    Object MSG = "m";

    void send(Object x) throws InterruptedException;

    Object receive() throws InterruptedException;

    /**
     * @param impl gust | jox | sq (SynchronousQueue) | abq (ArrayBlockingQueue) | ltq (LinkedTransferQueue:
     *     transfer/take for capacity 0, unbounded put/take otherwise)
     */
    static Pipe create(String impl, int capacity) {
        return switch (impl) {
            case "gust" -> new GustPipe(capacity == 0 ? dev.gust.channels.Channel.rendezvous()
                    : dev.gust.channels.Channel.bounded(capacity));
            case "jox" -> new JoxPipe(capacity == 0 ? Channel.newRendezvousChannel() : Channel.newBufferedChannel(capacity));
            case "sq" -> {
                if (capacity != 0) {
                    throw new IllegalArgumentException("SynchronousQueue is rendezvous only");
                }
                yield new QueuePipe(new SynchronousQueue<>());
            }
            case "abq" -> new QueuePipe(new ArrayBlockingQueue<>(Math.max(1, capacity)));
            case "ltq" -> capacity == 0 ? new TransferPipe(new LinkedTransferQueue<>()) : new QueuePipe(new LinkedTransferQueue<>());
            default -> throw new IllegalArgumentException(impl);
        };
    }

    record GustPipe(dev.gust.channels.Channel<Object> ch) implements Pipe {
        public void send(Object x) throws InterruptedException {
            ch.send(x);
        }

        public Object receive() throws InterruptedException {
            return ch.receive();
        }
    }

    record JoxPipe(Channel<Object> ch) implements Pipe {
        public void send(Object x) throws InterruptedException {
            ch.send(x);
        }

        public Object receive() throws InterruptedException {
            return ch.receive();
        }
    }

    record QueuePipe(BlockingQueue<Object> q) implements Pipe {
        public void send(Object x) throws InterruptedException {
            q.put(x);
        }

        public Object receive() throws InterruptedException {
            return q.take();
        }
    }

    record TransferPipe(LinkedTransferQueue<Object> q) implements Pipe {
        public void send(Object x) throws InterruptedException {
            q.transfer(x);
        }

        public Object receive() throws InterruptedException {
            return q.take();
        }
    }
}
