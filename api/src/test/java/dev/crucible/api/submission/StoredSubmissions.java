package dev.crucible.api.submission;

import dev.crucible.api.admission.Admission;
import dev.crucible.api.auth.Caller;
import dev.crucible.api.webhook.Callback;
import dev.crucible.queue.ExecutionEvent;
import dev.crucible.queue.Job;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/** Submissions stored as the api stores them, for the tests of packages that read them, such as webhooks. */
public final class StoredSubmissions {
    private final SubmissionStore store;

    public StoredSubmissions(Jdbi jdbi) {
        this.store = new SubmissionStore(jdbi);
    }

    public SubmissionStore store() {
        return store;
    }

    /** Stores a queued python submission of {@code caller}, with a callback when {@code callback} is set. */
    public void queued(UUID id, Caller caller, Callback callback) {
        SubmissionService.requireAdmitted(store.insertQueued(new SubmissionStore.NewSubmission(id, caller, "python",
                new Job.JobLimits(1000, 64, 1024), "{}", callback, Instant.now(), SubmissionStore.Idempotency.NONE),
                new Admission(1000, new SimpleMeterRegistry())), false);
    }

    /** Stores an outcome as the event consumer does; false when the submission was completed already. */
    public boolean finished(ExecutionEvent.Finished finished) {
        return store.markFinished(finished);
    }
}
