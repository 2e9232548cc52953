package dev.crucible.api.evaluation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crucible.api.auth.Caller;
import dev.crucible.api.http.ApiException;
import dev.crucible.api.model.SubmissionRequest;
import dev.crucible.api.submission.SubmissionsResource;
import dev.crucible.lifecycle.Loop;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes running evaluations' samples into submissions, a page at a time, through the submissions
 * API as their key: each evaluation until its key's quotas or the queue say no (429, 503), then the
 * next; and marks an evaluation completed once every sample is done. Idempotency keys make a
 * sample submitted twice (two api instances, a crash between submitting and noting it) one
 * submission. An evaluation whose key was revoked is cancelled.
 */
public final class EvaluationFeeder {
    private static final Logger log = LoggerFactory.getLogger(EvaluationFeeder.class);
    static final Duration PERIOD = Duration.ofMillis(500);
    /** Samples taken from one evaluation per turn, so that others have theirs. */
    private static final int PAGE = 50;

    private final EvaluationStore store;
    private final SubmissionsResource submissions;
    private final Predicate<UUID> keyHolds;
    private final ObjectMapper mapper;
    private final Loop loop = new Loop("evaluation-feeder", Loop.Pacing.every(PERIOD), this::feedOnce,
            e -> log.warn("evaluation feeder paused, will retry in {}: {}", PERIOD, e.getMessage()));

    EvaluationFeeder(EvaluationStore store, SubmissionsResource submissions, Predicate<UUID> keyHolds, ObjectMapper mapper) {
        this.store = store;
        this.submissions = submissions;
        this.keyHolds = keyHolds;
        this.mapper = mapper;
    }

    public void start() {
        loop.start();
    }

    public boolean stop(Duration limit) throws InterruptedException {
        return loop.stop(limit);
    }

    /** One turn over every running evaluation; the samples submitted. */
    int feedOnce() {
        int submitted = 0;
        for (EvaluationStore.Header evaluation : store.running()) {
            if (!loop.running()) {
                break;
            }
            // One evaluation's failure (its stored template unreadable, the database for a moment) is not the others'.
            try {
                Caller caller = new Caller(evaluation.owner().keyId(), evaluation.owner().role(), "evaluation");
                if (!keyHolds.test(evaluation.owner().keyId())) {
                    store.cancel(evaluation.id(), caller, "its key was revoked");
                    continue;
                }
                submitted += feed(evaluation, caller);
            } catch (RuntimeException e) {
                log.warn("evaluation {} is not fed this turn: {}", evaluation.id(), e.toString());
            }
        }
        return submitted;
    }

    private int feed(EvaluationStore.Header evaluation, Caller caller) {
        var pending = store.pending(evaluation.id(), PAGE);
        if (pending.isEmpty()) {
            if (store.completeIfDone(evaluation.id())) {
                log.info("evaluation {} completed", evaluation.id());
            }
            return 0;
        }
        Map<String, SamplePrograms.Template> templates = new HashMap<>();
        int submitted = 0;
        for (EvaluationStore.Pending sample : pending) {
            SubmissionRequest request;
            try {
                SamplePrograms.Template template = templates.get(sample.template());
                if (template == null) {
                    template = mapper.readValue(sample.template(), SamplePrograms.Template.class);
                    templates.put(sample.template(), template);
                }
                request = template.request(sample.sample());
            } catch (JsonProcessingException e) {
                store.refused(evaluation.id(), sample.position(), "its problem's stored template cannot be read: " + e.getOriginalMessage());
                continue;
            }
            try {
                UUID id = ScopedValue.where(Caller.CURRENT, caller).call(() -> submissions.createSubmission(request, false,
                        "evaluation:" + evaluation.id() + ":" + sample.position()).getId());
                if (!store.submitted(evaluation.id(), sample.position(), id)) {
                    // Cancelled while this sample was being submitted: it does not run either.
                    ScopedValue.where(Caller.CURRENT, caller).run(() -> cancelQuietly(id));
                    return submitted;
                }
                submitted++;
            } catch (ApiException.TooManyRequests | ApiException.QueueFull | ApiException.ServiceUnavailable paced) {
                return submitted; // the key's quotas or the queue pace the evaluation: the rest wait for a later turn
            } catch (ApiException refused) {
                // Checked when the evaluation was made; what is refused now (a limit lowered since) counts, as not correct.
                store.refused(evaluation.id(), sample.position(), refused.getMessage());
            }
        }
        return submitted;
    }

    private void cancelQuietly(UUID submission) {
        try {
            submissions.cancelSubmission(submission, false);
        } catch (ApiException.AlreadyFinal | ApiException.NotFound finished) {
            // it ended already
        }
    }
}
