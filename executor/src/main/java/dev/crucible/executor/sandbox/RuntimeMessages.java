package dev.crucible.executor.sandbox;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps gVisor's words out of the program's stderr. The exec's stderr is runsc's own as well: when
 * the sandbox dies under the program (its memory cgroup killed it, or the executor did), runsc exec
 * loses its sandbox and says so there, naming the sandbox by its container id. That line and what
 * follows it are runsc's, not the program's; they go to the log instead.
 */
final class RuntimeMessages {
    private static final Logger log = LoggerFactory.getLogger(RuntimeMessages.class);

    private RuntimeMessages() {}

    /**
     * {@code output} as the program wrote it: after a run that did not end by the program's own exit,
     * stderr is cut at the start of the first line naming {@code containerId}. A program that exited
     * by itself keeps every byte (its sandbox was alive to the end, runsc had nothing to report).
     */
    static SandboxRun.Output programOnly(SandboxRun.Output output, Ending ending, String containerId) {
        if (ending instanceof Ending.Exited) {
            return output;
        }
        byte[] stderr = output.stderr().kept();
        int at = indexOf(stderr, containerId.getBytes(StandardCharsets.US_ASCII));
        if (at < 0) {
            return output;
        }
        int lineStart = at;
        while (lineStart > 0 && stderr[lineStart - 1] != '\n') {
            lineStart--;
        }
        log.info("sandbox {} ended {}; left out of the program's stderr what runsc wrote there: {}", containerId,
                ending.getClass().getSimpleName(),
                new String(stderr, lineStart, stderr.length - lineStart, StandardCharsets.UTF_8).strip().replace('\n', ' '));
        return new SandboxRun.Output(output.stdout(),
                new SandboxRun.CapturedStream(Arrays.copyOf(stderr, lineStart), output.stderr().droppedBytes()));
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
