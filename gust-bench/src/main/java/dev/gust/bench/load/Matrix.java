package dev.gust.bench.load;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs the whole peer matrix side by side: each server in its own JVM pinned to CPU 0, the load (this JVM,
 * which the launcher pins to CPU 1, or wrk) on CPU 1, a warm-up before every measured window, server CPU
 * seconds from /proc/PID/stat, and one table with Gust's ratio to every peer.
 *
 * <pre>
 * Matrix [--duration 5] [--warmup 2] [--conns 100] [--size 32] [--idle-conns 15000] [--idle-hold 3]
 *        [--rate 200] [--servers gust,netty-epoll,...] [--workloads ws-echo,ws-broadcast,ws-latency,http,
 *        tcp-1k,tcp-10k,tcp-100k,ws-idle] [--out FILE.md] [--smoke] [--jfr DIR]
 * </pre>
 */
public final class Matrix {
    static final List<String> WS_SERVERS = List.of("gust", "gust-nio", "gust-epoll", "gust-iouring",
            "netty-nio", "netty-epoll", "netty-iouring", "jetty", "vertx", "helidon");
    /** Gust on one pinned transport: run only when named in --servers (the transport table of docs/benchmarks.md). */
    static final Set<String> OPT_IN_SERVERS = Set.of("gust-nio", "gust-epoll", "gust-iouring");
    static final List<String> TCP_SERVERS = List.of("gust-loop", "netty-epoll", "jdk-vthreads", "gust-streams", "nio2-jdk", "nio2-gust");
    static final List<String> ALL_WORKLOADS = List.of("ws-echo", "ws-broadcast", "ws-latency", "http", "tcp-1k", "tcp-10k", "tcp-100k", "ws-idle");

    final Map<String, String> opt = new LinkedHashMap<>();
    double duration, warmup;
    int conns, size, idleConns, rate, repeat;
    double idleHold;
    Set<String> onlyServers;
    List<String> workloads;
    boolean smoke;
    String jfrDir;
    final boolean pin = Runtime.getRuntime().availableProcessors() >= 1 && new File("/usr/bin/taskset").canExecute()
            && cpuCount() >= 2;
    final Path logDir = Path.of("gust-bench/target/bench-logs");
    int nextPort = 19100;
    final PrintStream out = System.out;
    final List<Row> rows = new ArrayList<>();
    boolean failed;

    /** One measured run. {@code value} is the headline figure (higher is better unless {@code lowerBetter}). */
    record Row(String workload, String server, boolean ok, double value, String unit, boolean lowerBetter,
               double cpuSecs, double secs, String extra, String error) {
        double perCpu() { return lowerBetter || cpuSecs <= 0 ? Double.NaN : value * secs / cpuSecs; }
    }

    public static void main(String[] args) throws Exception {
        Matrix m = new Matrix();
        for (int i = 0; i < args.length; i++) {
            String a = args[i].replaceFirst("^--", "");
            if (a.equals("smoke")) m.opt.put("smoke", "true");
            else if (a.equals("help") || a.equals("h")) { usage(); return; }
            else if (i + 1 < args.length) m.opt.put(a, args[++i]);
            else { usage(); System.exit(2); }
        }
        m.configure();
        System.exit(m.runAll() ? 0 : 1);
    }

    static void usage() {
        System.out.println("""
                ./gust bench-load [options]     run every server side by side and print one table
                  --duration S       measured seconds per run (default 5; smoke 1)
                  --warmup S         warm-up seconds before each measured run (default 2; smoke 0.5)
                  --conns N          WebSocket/TCP/HTTP connections (default 100)
                  --size B           WebSocket message size (default 32)
                  --rate R           latency run: publishes per second (default 200; each goes to every connection)
                  --idle-conns N     idle WebSocket connections for the memory run (default 15000)
                  --idle-hold S      seconds to hold them (default 3)
                  --servers a,b      only these servers (gust is always kept for the ratios); gust-nio,
                                     gust-epoll, gust-iouring pin Gust's transport and run only when named
                  --workloads a,b    ws-echo,ws-broadcast,ws-latency,http,tcp-1k,tcp-10k,tcp-100k,ws-idle
                  --repeat N         run every row N times (fresh server each) and report the median run
                  --out FILE         also write the tables (markdown) to FILE
                  --chart FILE.svg   also draw the results as an SVG bar chart (shown in the README)
                  --jfr DIR          record a JFR profile of every Gust server run into DIR
                  --smoke            ~10-20 s: Gust and Netty epoll, ws-echo + http, tiny durations; fails on any error
                """);
    }

    void configure() {
        smoke = opt.containsKey("smoke");
        duration = Double.parseDouble(opt.getOrDefault("duration", smoke ? "0.5" : "5"));
        warmup = Double.parseDouble(opt.getOrDefault("warmup", smoke ? "0.3" : "2"));
        conns = Integer.parseInt(opt.getOrDefault("conns", "100"));
        size = Integer.parseInt(opt.getOrDefault("size", "32"));
        rate = Integer.parseInt(opt.getOrDefault("rate", "200"));
        repeat = Integer.parseInt(opt.getOrDefault("repeat", "1"));
        idleConns = Integer.parseInt(opt.getOrDefault("idle-conns", smoke ? "500" : "15000"));
        idleHold = Double.parseDouble(opt.getOrDefault("idle-hold", smoke ? "0.5" : "3"));
        workloads = opt.containsKey("workloads") ? Arrays.asList(opt.get("workloads").split(","))
                : smoke ? List.of("ws-echo", "http") : ALL_WORKLOADS;
        if (opt.containsKey("servers")) {
            onlyServers = new java.util.HashSet<>(Arrays.asList(opt.get("servers").split(",")));
            onlyServers.add("gust");
            onlyServers.add("gust-loop");
        } else if (smoke) {
            onlyServers = Set.of("gust", "gust-loop", "netty-epoll");
        }
        jfrDir = opt.get("jfr");
    }

    boolean runAll() throws Exception {
        Files.createDirectories(logDir);
        out.printf(Locale.ROOT, "# gust bench-load %s: duration %.1fs, warm-up %.1fs, %d connections, %d B messages, pinned: %s%n",
                Instant.now(), duration, warmup, conns, size, pin ? "servers on CPU 0, load on CPU 1" : "no (fewer than 2 CPUs or no taskset)");
        for (String w : workloads) {
            List<String> servers = w.startsWith("tcp-") ? TCP_SERVERS : WS_SERVERS;
            for (String s : servers) {
                if (onlyServers != null ? !onlyServers.contains(s) : OPT_IN_SERVERS.contains(s)) continue;
                Row r = repeat <= 1 ? runOne(w, s) : median(w, s);
                rows.add(r);
                out.println("  " + w + " " + s + ": " + (r.ok ? fmt(r.value) + " " + r.unit + "  cpu " + fmt2(r.cpuSecs) + " s  " + r.extra
                        : "FAILED " + r.error));
                if (!r.ok) failed = true;
            }
        }
        String table = table();
        out.println();
        out.println(table);
        if (opt.containsKey("out")) Files.writeString(Path.of(opt.get("out")), table);
        if (opt.containsKey("chart")) {
            Files.writeString(Path.of(opt.get("chart")), SvgChart.render(rows, "Gust vs peers, one loop thread (" + Instant.now().toString().substring(0, 10) + ")"));
            out.println("chart: " + opt.get("chart"));
        }
        return !failed;
    }

    // ---- one run -------------------------------------------------------------------------------------

    Row runOne(String workload, String server) {
        String serverWorkload = switch (workload) {
            case "ws-echo", "ws-idle" -> "ws-echo";
            case "ws-broadcast", "ws-latency" -> "ws-broadcast";
            case "http" -> "http";
            default -> "tcp-echo";
        };
        int port = nextPort++;
        Process p = null;
        try {
            p = startServer(server, serverWorkload, port, workload);
            waitForPort(p, port);
            long pid = p.pid();
            return switch (workload) {
                case "http" -> runWrk(server, pid, port);
                case "ws-idle" -> runIdle(server, pid, port);
                default -> runLoad(workload, server, pid, port);
            };
        } catch (Exception e) {
            return new Row(workload, server, false, Double.NaN, "", false, 0, 0, "", e.getMessage());
        } finally {
            if (p != null) stop(p);
        }
    }

    /** Runs a row {@code repeat} times (a fresh server each time) and keeps the median run. */
    Row median(String w, String s) {
        List<Row> runs = new ArrayList<>();
        for (int i = 0; i < repeat; i++) {
            Row r = runOne(w, s);
            if (!r.ok) return r;
            runs.add(r);
        }
        runs.sort(java.util.Comparator.comparingDouble(Row::value));
        Row m = runs.get(runs.size() / 2);
        String spread = "median of " + repeat + " (" + fmt(runs.get(0).value) + " … " + fmt(runs.get(runs.size() - 1).value) + "); ";
        return new Row(m.workload, m.server, true, m.value, m.unit, m.lowerBetter, m.cpuSecs, m.secs, spread + m.extra, null);
    }

    Process startServer(String server, String workload, int port, String tag) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>();
        if (pin) cmd.addAll(List.of("taskset", "-c", "0"));
        cmd.addAll(List.of(java, "-Xmx1g", "-XX:+UseSerialGC", "--enable-native-access=ALL-UNNAMED",
                "--sun-misc-unsafe-memory-access=allow", "-Dio.netty.tryReflectionSetAccessible=true"));
        if (jfrDir != null && server.startsWith("gust")) {
            cmd.add("-XX:StartFlightRecording=filename=" + jfrDir + "/" + server + "-" + tag + ".jfr,settings=profile");
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.gust.bench.peers.PeerMain", server, workload,
                Integer.toString(port)));
        File log = logDir.resolve(server + "-" + tag + ".log").toFile();
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log).start();
    }

    static void waitForPort(Process p, int port) throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) throw new IllegalStateException("server exited with " + p.exitValue() + " (see gust-bench/target/bench-logs)");
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException e) {
                Thread.sleep(20);
            }
        }
        throw new IllegalStateException("server did not listen on " + port + " within 30 s");
    }

    static void stop(Process p) {
        p.destroy();
        try {
            if (!p.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) { p.destroyForcibly(); p.waitFor(); }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    Row runLoad(String workload, String server, long pid, int port) {
        String mode;
        int msgSize = size;
        switch (workload) {
            case "ws-echo" -> mode = "echo";
            case "ws-broadcast" -> mode = "broadcast";
            case "ws-latency" -> mode = "latency";
            case "tcp-1k" -> { mode = "tcp-echo"; msgSize = 1024; }
            case "tcp-10k" -> { mode = "tcp-echo"; msgSize = 10 * 1024; }
            case "tcp-100k" -> { mode = "tcp-echo"; msgSize = 100 * 1024; }
            default -> throw new IllegalArgumentException("workload " + workload);
        }
        if ((mode.equals("broadcast") || mode.equals("latency")) && msgSize < 12) msgSize = 12;
        var cfg = new LoadGen.Config(mode, "127.0.0.1", port, conns, msgSize, duration, warmup, rate, "/");
        long[] cpu = new long[2];
        LoadGen.Result r = LoadGen.run(cfg, new PrintStream(PrintStream.nullOutputStream()),
                () -> cpu[0] = cpuTicks(pid), () -> cpu[1] = cpuTicks(pid));
        double cpuSecs = (cpu[1] - cpu[0]) / 100.0;
        double secs = r.num("secs");
        if (!r.ok()) return new Row(workload, server, false, Double.NaN, "", false, cpuSecs, secs, "", r.error());
        String util = "server CPU " + Math.round(100 * cpuSecs / secs) + "%";
        return switch (mode) {
            case "latency" -> new Row(workload, server, true, r.num("p99_us"), "µs p99", true, cpuSecs, secs,
                    "p50 " + fmt(r.num("p50_us")) + " µs, p99 " + fmt(r.num("p99_us")) + " µs, p99.9 " + fmt(r.num("p999_us"))
                            + " µs, " + fmt(r.num("rate")) + " deliveries/s, " + util, null);
            case "broadcast" -> new Row(workload, server, true, r.num("rate"), "deliveries/s", false, cpuSecs, secs, util, null);
            case "tcp-echo" -> new Row(workload, server, true, r.num("rate"), "echoes/s", false, cpuSecs, secs,
                    fmt(r.num("mib_s")) + " MiB/s, " + util, null);
            default -> new Row(workload, server, true, r.num("rate"), "msg/s", false, cpuSecs, secs, util, null);
        };
    }

    Row runWrk(String server, long pid, int port) throws Exception {
        String url = "http://127.0.0.1:" + port + "/";
        if (warmup > 0 && !smoke) wrk(url, warmup); // warm-up (wrk runs whole seconds; the smoke run skips it)
        long c0 = cpuTicks(pid);
        long t0 = System.nanoTime();
        String o = wrk(url, duration);
        double secs = (System.nanoTime() - t0) / 1e9;
        double cpuSecs = (cpuTicks(pid) - c0) / 100.0;
        Matcher m = Pattern.compile("Requests/sec:\\s+([0-9.]+)").matcher(o);
        if (!m.find()) return new Row("http", server, false, Double.NaN, "", false, cpuSecs, secs, "", "wrk: " + o.strip());
        double rps = Double.parseDouble(m.group(1));
        String errs = "";
        Matcher e = Pattern.compile("(Non-2xx or 3xx responses: \\d+|Socket errors: [^\\n]+)").matcher(o);
        while (e.find()) errs += " " + e.group(1);
        Matcher lat = Pattern.compile("\\s+99%\\s+(\\S+)").matcher(o);
        String p99 = lat.find() ? "p99 " + lat.group(1) + ", " : "";
        boolean ok = !o.contains("Non-2xx");
        return new Row("http", server, ok, rps, "req/s", false, cpuSecs, secs,
                p99 + "server CPU " + Math.round(100 * cpuSecs / secs) + "%" + errs, ok ? null : errs.strip());
    }

    String wrk(String url, double secs) throws Exception {
        List<String> cmd = new ArrayList<>();
        if (pin) cmd.addAll(List.of("taskset", "-c", "1"));
        int d = Math.max(1, (int) Math.round(secs));
        cmd.addAll(List.of("wrk", "-t1", "-c" + conns, "-d" + d + "s", "--latency", url));
        Process w = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String o = new String(w.getInputStream().readAllBytes());
        w.waitFor();
        return o;
    }

    Row runIdle(String server, long pid, int port) throws Exception {
        Thread.sleep(500);
        long[] base = memory(pid);
        long[][] loaded = new long[1][];
        var cfg = new LoadGen.Config("idle", "127.0.0.1", port, idleConns, size, idleHold, 0, rate, "/");
        LoadGen.Result r = LoadGen.run(cfg, new PrintStream(PrintStream.nullOutputStream()), () -> {
            try { loaded[0] = memory(pid); } catch (Exception e) { throw new RuntimeException(e); }
        }, () -> { });
        if (!r.ok() || loaded[0] == null) return new Row("ws-idle", server, false, Double.NaN, "", true, 0, 0, "", r.error());
        double heapPer = (loaded[0][0] - base[0]) / (double) idleConns;
        double rssPer = (loaded[0][1] - base[1]) / (double) idleConns;
        return new Row("ws-idle", server, true, heapPer, "heap B/conn", true, 0, 0,
                "RSS " + fmt(rssPer) + " B/conn; heap after GC " + mib(base[0]) + " → " + mib(loaded[0][0]) + " MiB, RSS "
                        + mib(base[1]) + " → " + mib(loaded[0][1]) + " MiB; connect " + r.values().get("connect_s") + " s", null);
    }

    static String mib(long b) { return String.format(Locale.ROOT, "%.1f", b / 1048576.0); }

    /** {heap used after a full GC, RSS} in bytes. */
    static long[] memory(long pid) throws Exception {
        jcmd(pid, "GC.run");
        String info = jcmd(pid, "GC.heap_info");
        long used = 0;
        Matcher m = Pattern.compile("(?m)^(.*)total \\d+K, used (\\d+)K").matcher(info);
        while (m.find()) if (!m.group(1).contains("Metaspace") && !m.group(1).contains("class space")) used += Long.parseLong(m.group(2)) * 1024;
        long rss = 0;
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) rss = Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
        return new long[] {used, rss};
    }

    static String jcmd(long pid, String what) throws Exception {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        Process p = new ProcessBuilder(jcmd, Long.toString(pid), what).redirectErrorStream(true).start();
        String o = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        return o;
    }

    /** utime + stime of a process, in clock ticks (USER_HZ = 100). */
    static long cpuTicks(long pid) {
        try {
            String s = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]); // fields 14 and 15 of stat
        } catch (IOException e) {
            return 0;
        }
    }

    static int cpuCount() {
        try {
            return (int) Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("processor")).count();
        } catch (IOException e) {
            return 1;
        }
    }

    // ---- the table -----------------------------------------------------------------------------------

    String table() {
        StringBuilder sb = new StringBuilder();
        sb.append("| workload | server | result | server CPU s | per server-CPU-s | Gust × (rate) | Gust × (per CPU-s) | notes |\n");
        sb.append("|---|---|---:|---:|---:|---:|---:|---|\n");
        for (String w : workloads) {
            Row g = rows.stream().filter(r -> r.workload.equals(w) && r.server.startsWith("gust") && r.ok).findFirst().orElse(null);
            for (Row r : rows) {
                if (!r.workload.equals(w)) continue;
                String ratio = "", ratioCpu = "";
                if (g != null && r.ok && r != g) {
                    ratio = fmt2(r.lowerBetter ? r.value / g.value : g.value / r.value);
                    double a = g.perCpu(), b = r.perCpu();
                    ratioCpu = Double.isNaN(a) || Double.isNaN(b) ? "" : fmt2(a / b);
                }
                sb.append("| ").append(w).append(" | ").append(r.server).append(" | ")
                        .append(r.ok ? fmt(r.value) + " " + r.unit : "FAILED").append(" | ")
                        .append(r.cpuSecs > 0 ? fmt2(r.cpuSecs) : "").append(" | ")
                        .append(Double.isNaN(r.perCpu()) ? "" : fmt(r.perCpu())).append(" | ")
                        .append(ratio).append(" | ").append(ratioCpu).append(" | ")
                        .append(r.ok ? r.extra : r.error).append(" |\n");
            }
        }
        sb.append("\nGust × > 1 means Gust is ahead (for latency and memory: the peer's figure divided by Gust's).\n");
        return sb.toString();
    }

    static String fmt(double d) {
        if (Double.isNaN(d)) return "n/a";
        return d >= 100 ? String.format(Locale.ROOT, "%,.0f", d) : String.format(Locale.ROOT, "%.1f", d);
    }

    static String fmt2(double d) { return String.format(Locale.ROOT, "%.2f", d); }
}
