package dev.gust.cli;

/** Entry point of the {@code ./gust} launcher's run subcommands. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.out.println("gust: not yet");
    }
}
