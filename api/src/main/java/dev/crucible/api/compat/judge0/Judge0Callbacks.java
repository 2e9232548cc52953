package dev.crucible.api.compat.judge0;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crucible.api.model.Judge0Submission;
import dev.crucible.api.model.Submission;
import dev.crucible.api.webhook.WebhookDispatcher;
import dev.crucible.runtime.RuntimeCatalog;
import java.io.IOException;

/**
 * The body of a Judge0 submission's callback: the completed submission as Judge0 CE 1.13.1 PUTs it to
 * its {@code callback_url} ({@code IsolateJob#call_callback}), with the default fields, always base64.
 */
public final class Judge0Callbacks implements WebhookDispatcher.BodyWriter {
    private final Judge0Languages languages;
    private final ObjectMapper writer = Judge0Results.writer();

    public Judge0Callbacks(RuntimeCatalog catalog) {
        this.languages = new Judge0Languages(catalog);
    }

    @Override
    public byte[] write(Submission submission) throws IOException {
        Judge0Submission all = Judge0Results.of(submission, languages, true, Judge0Fields.DEFAULT);
        return writer.writeValueAsBytes(Judge0Fields.DEFAULT.select(writer.valueToTree(all)));
    }
}
