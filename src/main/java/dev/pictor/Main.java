package dev.pictor;

/** The composition root: parses the command line and wires adapters, core, providers and store. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.err.println("pictor: not wired yet");
        System.exit(2);
    }
}
