package dev.gust.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code ./gust} launcher's run subcommands ({@code demo}, {@code serve}, {@code conformance}). */
@Command(name = "gust", mixinStandardHelpOptions = true, version = "gust 0.1.0",
        description = "Gust: event loops, HTTP/1.1 and WebSocket with pub/sub for Java 25.",
        subcommands = {DemoCommand.class, ServeCommand.class, ConformanceCommand.class})
public final class Main implements Runnable {

    public static void main(String[] args) {
        int code = new CommandLine(new Main()).execute(args);
        if (code != 0) System.exit(code);
    }

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }
}
