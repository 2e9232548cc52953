package dev.crucible.sdk.cli;

import dev.crucible.sdk.model.OutputEncoding;
import dev.crucible.sdk.model.Submission;
import dev.crucible.sdk.model.SubmissionStatus;
import dev.crucible.sdk.model.TestResult;
import dev.crucible.sdk.model.Verdict;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * What the command line says of a final submission, on stderr: what the stored result has beyond the
 * live output, each test's verdict, the verdict and the figures. And the exit status it ends with.
 */
final class Outcome {
    /** Starts every line of the command line's own on stderr, apart from the program's. */
    static final String NOTE = "[crucible] ";

    private Outcome() {}

    /**
     * The program's exit code when it has one (0 only when accepted: an accepted-looking 0 of a run
     * that was not is 1); 1 for a verdict without one (a limit, a compile error) or a cancelled run;
     * with tests, 0 when every test passed, else 1.
     */
    static int exitCode(Submission done, boolean tests) {
        boolean accepted = done.getStatus() == SubmissionStatus.COMPLETED && done.getVerdict() == Verdict.ACCEPTED;
        if (tests || done.getStatus() != SubmissionStatus.COMPLETED) {
            return accepted ? 0 : 1;
        }
        Integer code = done.getExitCode();
        if (code == null || code < 0 || code > 255) {
            return accepted ? 0 : 1;
        }
        return code == 0 && !accepted ? 1 : code;
    }

    /** Prints the rest of the result, then answers the exit status. */
    static int report(Submission done, LiveOutput live, boolean tests, PrintStream out, PrintStream err) {
        if (live.capped()) {
            err.println(NOTE + "the live output was capped; the rest is from the stored result");
        }
        // What did not come live (an older server sends nothing live; past the cap nothing more comes) is
        // printed from the stored result. With tests the stored output is each test's; their verdicts say how each went.
        rest(done.getCompileOutput(), done.getCompileOutputEncoding(), live.compileOutput(), "compiler output", err, err);
        if (!tests) {
            rest(done.getStdout(), done.getStdoutEncoding(), live.stdout(), "stdout", out, err);
            rest(done.getStderr(), done.getStderrEncoding(), live.stderr(), "stderr", err, err);
        }
        out.flush();
        dropped("stdout", done.getStdoutTruncatedBytes(), err);
        dropped("stderr", done.getStderrTruncatedBytes(), err);
        if (done.getMessage() != null && !done.getMessage().isBlank()) {
            err.println(NOTE + done.getMessage());
        }
        List<TestResult> results = done.getTests() == null ? List.of() : done.getTests();
        for (int i = 0; i < results.size(); i++) {
            TestResult test = results.get(i);
            err.println(NOTE + "test " + (i + 1) + (test.getName() == null ? "" : " (" + test.getName() + ")") + ": "
                    + verdict(test.getVerdict(), test.getExitCode(), test.getSignal(), test.getWallTimeMs()));
        }
        err.println(NOTE + verdictLine(done, tests));
        String figures = figures(done);
        if (!figures.isEmpty()) {
            err.println(NOTE + figures);
        }
        err.flush();
        return exitCode(done, tests);
    }

    /**
     * Prints what the stored output has past what was shown live of it: all of it, byte for byte, when
     * nothing was; else the text after it. Should the live text not start the stored one (it missed a
     * part), the stored output is printed whole after a note saying so: complete, if twice in part.
     */
    private static void rest(String stored, OutputEncoding encoding, String shown, String name, PrintStream to,
                             PrintStream err) {
        if (stored == null || stored.isEmpty()) {
            return;
        }
        byte[] all = bytes(stored, encoding);
        if (shown.isEmpty()) {
            write(to, all);
            return;
        }
        // Live text shows bytes that were not UTF-8 as U+FFFD; so does this decoding, so the two compare.
        String text = new String(all, StandardCharsets.UTF_8);
        if (text.startsWith(shown)) {
            to.print(text.substring(shown.length()));
            to.flush();
            return;
        }
        err.println(NOTE + "the live " + name + " missed part of the stored one, which follows in full:");
        err.flush();
        write(to, all);
    }

    private static byte[] bytes(String field, OutputEncoding encoding) {
        return encoding == OutputEncoding.BASE64 ? Base64.getDecoder().decode(field) : field.getBytes(StandardCharsets.UTF_8);
    }

    private static void write(PrintStream to, byte[] bytes) {
        to.write(bytes, 0, bytes.length);
        to.flush();
    }

    private static void dropped(String stream, Long bytes, PrintStream err) {
        if (bytes != null && bytes > 0) {
            err.println(NOTE + bytes + " bytes of " + stream + " past the output cap were dropped");
        }
    }

    private static String verdictLine(Submission done, boolean tests) {
        if (done.getStatus() == SubmissionStatus.CANCELLED) {
            return "cancelled";
        }
        if (tests && done.getScore() != null) {
            return done.getVerdict() + ", " + done.getScore().getPassed() + " of " + done.getScore().getTotal()
                    + " tests passed";
        }
        return verdict(done.getVerdict(), done.getExitCode(), done.getSignal(), null);
    }

    private static String verdict(Verdict verdict, Integer exitCode, String signal, Long wallMs) {
        List<String> parts = new ArrayList<>();
        parts.add(verdict == null ? "no verdict" : verdict.toString());
        if (exitCode != null) {
            parts.add("exit code " + exitCode);
        }
        if (signal != null) {
            parts.add("signal " + signal);
        }
        if (wallMs != null) {
            parts.add(wallMs + " ms");
        }
        return String.join(", ", parts);
    }

    /** Wall time, CPU, memory and queue wait, those the result has. */
    static String figures(Submission done) {
        List<String> parts = new ArrayList<>();
        if (done.getWallTimeMs() != null) {
            parts.add("wall " + done.getWallTimeMs() + " ms");
        }
        if (done.getCpuTimeMs() != null) {
            parts.add("cpu " + done.getCpuTimeMs() + " ms");
        }
        if (done.getPeakMemoryKb() != null) {
            parts.add("memory " + String.format(Locale.ROOT, "%.1f", done.getPeakMemoryKb() / 1024.0) + " MiB");
        }
        if (done.getTimings() != null && done.getTimings().getQueueWaitMs() != null) {
            parts.add("queue wait " + done.getTimings().getQueueWaitMs() + " ms");
        }
        return String.join(", ", parts);
    }
}
