package dev.crucible.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.OptionalInt;

/**
 * A piece of a submission's output as the event stream sends it live ({@code event: output}), in the
 * order the program wrote it. The stored result stays what counts: the live output stops after the
 * chunk that is {@link #capped()}, and bytes that were not UTF-8 show here as U+FFFD.
 *
 * @param stage  {@code compile} or {@code run}
 * @param test   the 0-based test case, when the submission has tests
 * @param run    the 0-based run, when the submission asked for several
 * @param stream {@code stdout} or {@code stderr}
 * @param text   the text written
 * @param capped true on the last chunk sent live; what follows is only in the stored result
 */
public record OutputChunk(String stage, OptionalInt test, OptionalInt run, String stream, String text, boolean capped) {
    /** Output of the program itself, not of its compiler. */
    public boolean isRunStage() {
        return "run".equals(stage);
    }

    public boolean isStdout() {
        return "stdout".equals(stream);
    }

    static OutputChunk of(JsonNode data) {
        return new OutputChunk(data.path("stage").asText(""), index(data.get("test")), index(data.get("run")),
                data.path("stream").asText(""), data.path("text").asText(""), data.path("capped").asBoolean(false));
    }

    private static OptionalInt index(JsonNode value) {
        return value != null && value.canConvertToInt() && value.isIntegralNumber() ? OptionalInt.of(value.asInt())
                : OptionalInt.empty();
    }
}
