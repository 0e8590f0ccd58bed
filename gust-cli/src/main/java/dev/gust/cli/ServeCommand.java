package dev.gust.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code ./gust serve echo|broadcast|hello}: the reference servers. */
@Command(name = "serve", mixinStandardHelpOptions = true, description = "Run a reference server: echo, broadcast or hello.")
final class ServeCommand implements Callable<Integer> {
    @Parameters(index = "0", description = "echo | broadcast | hello")
    String kind;

    @Override
    public Integer call() {
        System.err.println("gust serve: the " + kind + " server needs the WebSocket server (not built yet)");
        return 2;
    }
}
