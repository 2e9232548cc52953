package dev.crucible.api.compat.piston;

import dev.crucible.api.model.OutputEncoding;
import dev.crucible.api.model.PistonExecuteResult;
import dev.crucible.api.model.PistonStage;
import dev.crucible.api.model.Submission;
import dev.crucible.api.model.Verdict;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A completed submission in Piston's shape. Crucible keeps stdout and stderr apart, so a stage's
 * {@code output} is stdout followed by stderr, not their interleaving. Output that is not UTF-8
 * (Crucible sends it as base64) is decoded with replacement characters, as Piston's text would be.
 */
final class PistonResults {
    /** The exit status of a failed compile: Crucible stores the compiler's output, not its status. */
    static final int COMPILE_FAILED = 1;

    private PistonResults() {}

    static PistonExecuteResult of(Submission submission, String language, String version, boolean compiled) {
        PistonStage run = run(submission);
        if (!compiled) {
            return new PistonExecuteResult(language, version, run);
        }
        boolean failed = submission.getVerdict() == Verdict.COMPILE_ERROR;
        String compilerOutput = text(submission.getCompileOutput(), submission.getCompileOutputEncoding());
        PistonStage compile = new PistonStage("", compilerOutput, compilerOutput)
                .code(failed ? COMPILE_FAILED : 0)
                .status(failed ? "RE" : null)
                .message(failed ? submission.getMessage() : null)
                .wallTime(submission.getTimings() == null ? null : submission.getTimings().getCompileMs());
        // Piston's rule for old clients: when the compile fails nothing runs, and run is the compile stage.
        return new PistonExecuteResult(language, version, failed ? compile : run).compile(compile);
    }

    private static PistonStage run(Submission submission) {
        String stdout = text(submission.getStdout(), submission.getStdoutEncoding());
        String stderr = text(submission.getStderr(), submission.getStderrEncoding());
        PistonStage stage = new PistonStage(stdout, stderr, stdout + stderr)
                .memory(submission.getPeakMemoryKb() == null ? null : submission.getPeakMemoryKb() * 1024)
                .cpuTime(submission.getCpuTimeMs())
                .wallTime(submission.getWallTimeMs());
        Verdict verdict = submission.getVerdict() == null ? Verdict.INTERNAL_ERROR : submission.getVerdict();
        return switch (verdict) {
            // Piston reports a kill at a limit as SIGKILL with no exit code.
            case TIME_LIMIT_EXCEEDED -> stage.signal("SIGKILL").status("TO").message("Time limit exceeded");
            case OUTPUT_LIMIT_EXCEEDED -> stage.signal("SIGKILL").status("OL").message("Output limit exceeded");
            case MEMORY_LIMIT_EXCEEDED -> stage.signal("SIGKILL").status("SG").message("Memory limit exceeded");
            case INTERNAL_ERROR -> stage.status("XX").message(submission.getMessage());
            case RUNTIME_ERROR, ACCEPTED, WRONG_ANSWER, COMPILE_ERROR -> submission.getSignal() != null
                    ? stage.signal(submission.getSignal()).status("SG")
                    : stage.code(submission.getExitCode()).status(verdict == Verdict.RUNTIME_ERROR ? "RE" : null);
        };
    }

    private static String text(String value, OutputEncoding encoding) {
        if (value == null) {
            return "";
        }
        return encoding == OutputEncoding.BASE64 ? new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8) : value;
    }
}
