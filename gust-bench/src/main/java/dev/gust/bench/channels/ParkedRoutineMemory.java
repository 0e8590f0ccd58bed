package dev.gust.bench.channels;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * Heap per virtual thread parked in a channel receive, measured warm with 100k routines:
 * (heap after full GC with all routines parked - heap after full GC before) / count.
 *
 * <pre>
 * java -Xmx2g -cp "gust-bench/target/classes:gust-bench/target/lib/*" dev.gust.bench.channels.ParkedRoutineMemory [count]
 * </pre>
 * Implementations: gust rendezvous, jox rendezvous, SynchronousQueue, and a bare
 * {@code LockSupport.park()} (the JVM's floor for a parked virtual thread).
 */
public final class ParkedRoutineMemory {
    interface Blocker {
        void block() throws InterruptedException;

        void release();
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        String[] impls = {"park", "gust", "jox", "sq", "gust", "jox", "sq", "park"};
        for (String impl : impls) { // each twice: the first round warms up, the second is reported
            measure(impl, n);
        }
    }

    static Blocker blocker(String impl) {
        return switch (impl) {
            case "gust" -> {
                var ch = dev.gust.channels.Channel.<Object>rendezvous();
                yield new Blocker() {
                    public void block() throws InterruptedException {
                        ch.receiveOrNull();
                    }

                    public void release() {
                        ch.close();
                    }
                };
            }
            case "jox" -> {
                var ch = com.softwaremill.jox.Channel.newRendezvousChannel();
                yield new Blocker() {
                    public void block() throws InterruptedException {
                        ch.receiveOrClosed();
                    }

                    public void release() {
                        ch.done();
                    }
                };
            }
            case "sq" -> {
                var q = new java.util.concurrent.SynchronousQueue<Object>();
                yield new Blocker() {
                    public void block() {
                        try {
                            q.take();
                        } catch (InterruptedException e) {
                            // released
                        }
                    }

                    public void release() {
                        // threads are interrupted by the caller
                    }
                };
            }
            default -> new Blocker() {
                volatile boolean released;

                public void block() {
                    while (!released) {
                        java.util.concurrent.locks.LockSupport.park();
                    }
                }

                public void release() {
                    released = true;
                }
            };
        };
    }

    static long usedAfterGc() throws InterruptedException {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(50);
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    static void measure(String impl, int n) throws Exception {
        Blocker b = blocker(impl);
        List<Thread> threads = new ArrayList<>(n);
        long before = usedAfterGc();
        for (int i = 0; i < n; i++) {
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    b.block();
                } catch (InterruptedException e) {
                    // released
                }
            }));
        }
        for (Thread t : threads) {
            while (t.getState() != Thread.State.WAITING) {
                Thread.sleep(1);
            }
        }
        long after = usedAfterGc();
        double perRoutine = (after - before) / (double) n;
        b.release();
        for (Thread t : threads) {
            if (impl.equals("sq") || impl.equals("park")) {
                if (impl.equals("sq")) {
                    t.interrupt();
                } else {
                    java.util.concurrent.locks.LockSupport.unpark(t);
                }
            }
            t.join();
        }
        System.out.printf("%-5s %,d parked routines: %.0f bytes each%n", impl, n, perRoutine);
    }
}
