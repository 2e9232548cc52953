package dev.crucible.sdk.cli;

import dev.crucible.sdk.OutputChunk;
import dev.crucible.sdk.SubmissionListener;
import java.io.PrintStream;
import java.util.OptionalInt;

/**
 * Output as it streams: the program's stdout to stdout, its stderr and the compiler's output to stderr,
 * each flushed at once. What was shown is kept, so that the stored result can fill in what was not.
 */
final class LiveOutput implements SubmissionListener {
    private final PrintStream out;
    private final PrintStream err;
    private final StringBuilder stdout = new StringBuilder();
    private final StringBuilder stderr = new StringBuilder();
    private final StringBuilder compile = new StringBuilder();
    private boolean capped;
    private OptionalInt test = OptionalInt.empty();

    LiveOutput(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public void output(OutputChunk chunk) {
        capped |= chunk.capped();
        if (chunk.test().isPresent() && !chunk.test().equals(test)) {
            test = chunk.test();
            err.println(Outcome.NOTE + "test " + (test.getAsInt() + 1) + ":");
            err.flush();
        }
        boolean programStdout = chunk.isRunStage() && chunk.isStdout();
        PrintStream to = programStdout ? out : err;
        to.print(chunk.text());
        to.flush();
        if (!chunk.isRunStage()) {
            compile.append(chunk.text());
        } else if (programStdout) {
            stdout.append(chunk.text());
        } else {
            stderr.append(chunk.text());
        }
    }

    /** Whether the server stopped sending output live before the program stopped writing it. */
    boolean capped() {
        return capped;
    }

    /** The program's stdout as shown, over all its tests or runs. */
    String stdout() {
        return stdout.toString();
    }

    String stderr() {
        return stderr.toString();
    }

    /** The compiler's output as shown, both its streams. */
    String compileOutput() {
        return compile.toString();
    }
}
