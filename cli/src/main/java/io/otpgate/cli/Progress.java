package io.otpgate.cli;

/** A progress bar on stderr, drawn only on a terminal; pipes and logs get the summary alone. */
final class Progress {

    private static final int WIDTH = 30;

    private final Terminal terminal;
    private final String label;
    private final int total;
    private int done;
    private boolean drawn;

    Progress(Terminal terminal, String label, int total) {
        this.terminal = terminal;
        this.label = label;
        this.total = total;
    }

    void step() {
        show(done + 1);
    }

    void show(int count) {
        done = count;
        if (!terminal.interactive() || total == 0) {
            return;
        }
        int filled = (int) ((long) WIDTH * done / total);
        terminal.err()
                .print("\r[" + "#".repeat(filled) + " ".repeat(WIDTH - filled) + "] " + done + "/" + total + " "
                        + label);
        terminal.err().flush();
        drawn = true;
    }

    /** Ends the bar's line so that a message printed now starts on a line of its own. */
    void interrupt() {
        if (drawn) {
            terminal.err().println();
            drawn = false;
        }
    }

    void done() {
        interrupt();
    }
}
