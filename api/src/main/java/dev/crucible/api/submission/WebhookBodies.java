package dev.crucible.api.submission;

import dev.crucible.api.model.Submission;
import dev.crucible.api.webhook.WebhookDispatcher;
import java.util.Optional;
import java.util.UUID;

/** The bodies of webhooks: each submission as its owner sees it, read by id alone, as the dispatcher has no caller. */
public final class WebhookBodies implements WebhookDispatcher.Submissions {
    private final SubmissionStore store;

    public WebhookBodies(SubmissionStore store) {
        this.store = store;
    }

    @Override
    public Optional<Submission> find(UUID id) {
        return store.findForWebhook(id).map(SubmissionView::of);
    }

    @Override
    public long storedBytes(UUID id) {
        return store.storedBytesForWebhook(id);
    }
}
