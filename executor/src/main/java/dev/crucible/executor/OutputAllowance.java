package dev.crucible.executor;

import dev.crucible.queue.ExecutionEvent;
import java.util.Arrays;

/**
 * What is left of one submission's stored output, across its tests and runs: each output is kept
 * while the allowance lasts, stdout before stderr, and what does not fit is counted as truncated
 * bytes, as for a stream past its own limit. Judging sees the whole output; only what is stored is cut.
 * One per job, used by one thread.
 */
final class OutputAllowance {
    private long left;

    OutputAllowance(long bytes) {
        this.left = bytes;
    }

    ExecutionEvent.Output keep(ExecutionEvent.Output output) {
        byte[] stdout = take(output.stdout());
        byte[] stderr = take(output.stderr());
        return new ExecutionEvent.Output(stdout, output.stdoutTruncatedBytes() + output.stdout().length - stdout.length,
                stderr, output.stderrTruncatedBytes() + output.stderr().length - stderr.length);
    }

    private byte[] take(byte[] kept) {
        int fits = (int) Math.min(kept.length, left);
        left -= fits;
        return fits == kept.length ? kept : Arrays.copyOf(kept, fits);
    }
}
