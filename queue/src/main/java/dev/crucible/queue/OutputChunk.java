package dev.crucible.queue;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;

/**
 * A piece of a program's output as it ran, for those who watch it live ({@link LiveOutput}). Never the
 * record of what the program printed: that is the result, whose bytes are exact and whose caps are the
 * output limits; live output is text, batched, and capped by the executor.
 *
 * @param stage  the compile or the program's run
 * @param test   the index of the test case run; null when the job has none
 * @param run    the index of the run, when the job runs the program several times; else null
 * @param command the session's command that printed it; null in a submission's output
 * @param stream stdout or stderr (a compile's messages are its stderr)
 * @param text   the bytes as UTF-8, those that are not UTF-8 as U+FFFD
 * @param capped true on the last chunk of a submission's (or a session command's) live output, when it
 *               reached its cap: later output is only in the result
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OutputChunk(Stage stage, Integer test, Integer run, UUID command, Stream stream, String text, boolean capped) {
    public OutputChunk {
        // A chunk can come from Redis, written by anything: refuse an incomplete one at decoding.
        Objects.requireNonNull(stage, "stage");
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(text, "text");
    }

    public enum Stage {
        @JsonProperty("compile") COMPILE,
        @JsonProperty("run") RUN;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public enum Stream {
        @JsonProperty("stdout") STDOUT,
        @JsonProperty("stderr") STDERR;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
