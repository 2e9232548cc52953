package dev.crucible.api.submission;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.crucible.api.ApiConfig;
import dev.crucible.api.admission.Admission;
import dev.crucible.api.auth.Caller;
import dev.crucible.api.auth.KeyValidity;
import dev.crucible.api.http.ApiException;
import dev.crucible.api.http.Json;
import dev.crucible.api.model.FieldError;
import dev.crucible.api.model.SubmissionRequest;
import dev.crucible.api.webhook.AddressPolicy;
import dev.crucible.api.webhook.Callback;
import dev.crucible.api.webhook.CallbackFormat;
import dev.crucible.api.webhook.CallbackTarget;
import dev.crucible.queue.Cancellations;
import dev.crucible.queue.Job;
import dev.crucible.queue.JobCodec;
import dev.crucible.queue.JobQueue;
import dev.crucible.runtime.RuntimeCatalog;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Accepting a submission: validate, store it with its enqueue intent in one transaction, then hand
 * it to the queue. If Redis is away the submission is still accepted; the {@link OutboxRelay} hands
 * it over when Redis is back.
 */
public final class SubmissionService {
    private static final Logger log = LoggerFactory.getLogger(SubmissionService.class);

    private final SubmissionValidator validator;
    private final SubmissionStore store;
    private final Outbox outbox;
    private final Admission admission;
    private final JobQueue queue;
    private final Cancellations cancellations;
    private final JobCodec codec;
    private final ChangeSignals signals;
    private final Duration maxWait;
    private final int maxBatch;
    private final AddressPolicy addressPolicy;
    private final CallbackTarget.Resolver resolver;
    private final boolean allowHttp;
    private final ObjectMapper canonical = Json.mapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
    private final Clock clock;
    private final SubmissionPurge purge;
    private final KeyValidity keys;

    public SubmissionService(RuntimeCatalog catalog, ApiConfig.RunLimits limits, ApiConfig.Admission admissionLimits,
                             ApiConfig.Webhooks webhooks, SubmissionStore store, Outbox outbox, Admission admission, JobQueue queue,
                             Cancellations cancellations, ChangeSignals signals, AddressPolicy addressPolicy,
                             CallbackTarget.Resolver resolver, Clock clock, SubmissionPurge purge, KeyValidity keys) {
        this.validator = new SubmissionValidator(catalog, limits);
        this.store = store;
        this.outbox = outbox;
        this.admission = admission;
        this.queue = queue;
        this.cancellations = cancellations;
        this.codec = new JobCodec();
        this.signals = signals;
        this.maxWait = admissionLimits.maxWait();
        this.maxBatch = admissionLimits.maxBatch();
        this.addressPolicy = addressPolicy;
        this.resolver = resolver;
        this.allowHttp = webhooks.allowHttp();
        this.clock = clock;
        this.purge = purge;
        this.keys = keys;
    }

    /** Whether the caller's key still holds; a request waiting for a key revoked meanwhile ends. */
    boolean keyHolds(Caller caller) {
        return keys.holds(caller.keyId());
    }

    /** @param format the shape of the request's callback, if it has one */
    SubmissionRecord create(Caller caller, SubmissionRequest request, boolean wait, String idempotencyKey, CallbackFormat format) {
        byte[] requestHash = idempotencyKey == null ? null : hash(request);
        if (idempotencyKey != null) {
            var earlier = store.findByIdempotencyKey(caller.keyId(), idempotencyKey);
            if (earlier.isPresent()) {
                return repeat(caller, earlier.get(), requestHash, idempotencyKey, wait);
            }
        }
        SubmissionStore.NewSubmission row = prepare(caller, request, idempotencyKey, requestHash, format);
        UUID id = row.id();
        try {
            requireAdmitted(store.insertQueued(row, admission), false);
        } catch (UnableToExecuteStatementException e) {
            // The same key, sent twice at once: the other request stored it first.
            var earlier = idempotencyKey == null ? null : store.findByIdempotencyKey(caller.keyId(), idempotencyKey).orElse(null);
            if (earlier == null) {
                throw e;
            }
            return repeat(caller, earlier, requestHash, idempotencyKey, wait);
        }
        // Stored is accepted: from here on nothing may turn into an error answer, or the client
        // would retry and submit twice.
        enqueue(row);
        SubmissionRecord justQueued = justQueued(row);
        return wait ? awaitFinal(caller, id, justQueued) : readOr(caller, id, justQueued);
    }

    /** All or nothing: every submission is checked first, then all are stored in one transaction. */
    BatchRecord createBatch(Caller caller, List<SubmissionRequest> requests, CallbackFormat format) {
        if (requests.isEmpty() || requests.size() > maxBatch) {
            throw new ApiException.InvalidRequest(List.of(new FieldError("submissions",
                    "has " + requests.size() + " submissions; allowed 1.." + maxBatch)));
        }
        List<FieldError> errors = new ArrayList<>();
        List<SubmissionStore.NewSubmission> rows = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            String prefix = "submissions[" + i + "].";
            try {
                rows.add(prepare(caller, requests.get(i), null, null, format));
            } catch (ApiException.InvalidRequest e) {
                e.errors().forEach(error -> errors.add(new FieldError(prefix + error.getField(), error.getMessage())));
            } catch (ApiException.UnknownRuntime | ApiException.InvalidCallbackUrl e) {
                String field = e instanceof ApiException.UnknownRuntime ? "runtime" : "callback_url";
                errors.add(new FieldError(prefix + field, e.getMessage()));
            }
        }
        if (!errors.isEmpty()) {
            throw new ApiException.InvalidRequest(errors);
        }
        UUID batchId = UUID.randomUUID();
        requireAdmitted(store.insertAll(batchId, caller, rows, admission), true);
        rows.forEach(this::enqueue);
        try {
            return getBatch(caller, batchId);
        } catch (RuntimeException e) {
            log.warn("batch {} stored; answering from what is known: {}", batchId, e.getMessage());
            return new BatchRecord(batchId, clock.instant(), rows.stream().map(this::justQueued).toList());
        }
    }

    BatchRecord getBatch(Caller caller, UUID id) {
        var batch = store.findBatch(id, caller).orElseThrow(() -> new ApiException.NotFound("no batch " + id + " for this API key"));
        return new BatchRecord(id, batch.getKey(), batch.getValue());
    }

    /** A batch and its submissions, in the order given. */
    record BatchRecord(UUID id, Instant createdAt, List<SubmissionRecord> submissions) {}

    /** Refuses, as {@link #create} would, a request that cannot be submitted; nothing is stored. */
    void check(SubmissionRequest request) {
        validator.validate(UUID.randomUUID(), request);
    }

    /** Validates a request and turns it into a row to store; nothing is stored yet. */
    private SubmissionStore.NewSubmission prepare(Caller caller, SubmissionRequest request, String idempotencyKey,
                                                  byte[] requestHash, CallbackFormat format) {
        UUID id = UUID.randomUUID();
        Job job = validator.validate(id, request);
        if (request.getCallbackUrl() != null) {
            try {
                CallbackTarget.resolve(request.getCallbackUrl(), allowHttp, addressPolicy, resolver);
            } catch (CallbackTarget.RefusedCallbackException e) {
                throw new ApiException.InvalidCallbackUrl(e.getMessage());
            }
        }
        return new SubmissionStore.NewSubmission(id, caller, job.runtime(), job.limits(), codec.encode(job),
                request.getCallbackUrl() == null ? null : new Callback(request.getCallbackUrl(), format), clock.instant(),
                new SubmissionStore.Idempotency(idempotencyKey, requestHash));
    }

    /**
     * Turns a refusal into the error the client gets: 422 when no retry helps, else 429 or 503 with {@code Retry-After}.
     *
     * @param batch whether the decision was on a batch, whose submissions' fields are named by their index
     */
    public static void requireAdmitted(Admission.Decision decision, boolean batch) {
        switch (decision) {
            case Admission.Admitted _ -> { }
            case Admission.BeyondQuota(int count, long most) -> throw new ApiException.InvalidRequest(List.of(new FieldError(
                    "submissions", count + " submissions at once is more than this key may ever have (" + most + ")")));
            case Admission.OverSubmissionSandbox(int index, long sandboxMs, long most) -> throw new ApiException.InvalidRequest(
                    List.of(new FieldError((batch ? "submissions[" + index + "]." : "") + "limits", "tests x runs x wall_time_ms"
                            + " (plus the compile's wall time) come to " + sandboxMs + " ms of sandbox time; this key allows at most "
                            + most + " ms per submission")));
            case Admission.OverRate(long perMinute, Duration retryAfter) -> throw new ApiException.TooManyRequests(
                    "this key may make " + perMinute + " submissions a minute", retryAfter);
            case Admission.OverSandboxBudget(Admission.Window window, long budgetMs, Duration retryAfter) ->
                    throw new ApiException.TooManyRequests("this key's submissions may use " + budgetMs
                            + " ms of sandbox time (worst case) per " + window.word(), retryAfter);
            case Admission.OverActive(long maxActive, Duration retryAfter) -> throw new ApiException.TooManyRequests(
                    "this key may have " + maxActive + " submissions queued or running and sessions open at once", retryAfter);
            case Admission.QueueFull(long queued, Duration retryAfter) -> throw new ApiException.QueueFull(
                    "the queue is full (" + queued + " submissions); try again shortly", retryAfter);
        }
    }

    /** Hands a stored submission to the queue; if Redis is away, the outbox relay does it later. */
    private void enqueue(SubmissionStore.NewSubmission row) {
        // Around the inner try: a try's resources are closed before its catch blocks log.
        try (var _ = MDC.putCloseable("submission", row.id().toString())) {
            try {
                queue.enqueue(row.id(), row.caller().keyId().toString(), row.job());
                outbox.done(row.id());
            } catch (RuntimeException e) {
                log.warn("submission {} stored but not yet queued, the outbox relay will retry: {}", row.id(), e.getMessage());
            }
        }
    }

    private SubmissionRecord justQueued(SubmissionStore.NewSubmission row) {
        return new SubmissionRecord(row.id(), row.caller().keyId(), Status.QUEUED, row.runtime(),
                new SubmissionRecord.Limits(row.limits().wallTimeMs(), row.limits().memoryMb()),
                new SubmissionRecord.Times(row.createdAt(), null, null, null, null), null, null);
    }

    /**
     * Cancels a queued or running submission: it is marked in PostgreSQL first (what the executor
     * reports later is then ignored), then in Redis, where executors look before and while they run.
     */
    SubmissionRecord cancel(Caller caller, UUID id) {
        try (var _ = MDC.putCloseable("submission", id.toString())) {
            if (!store.cancel(caller, id)) {
                SubmissionRecord current = get(caller, id);
                throw new ApiException.AlreadyFinal("submission " + id + " is " + current.status().wireName() + " already");
            }
            try {
                cancellations.cancel(id);
            } catch (RuntimeException e) {
                log.warn("submission {} cancelled in the database, but not in Redis: a run in progress finishes, ignored: {}",
                        id, e.getMessage());
            }
            signals.changed(id);
            return get(caller, id);
        }
    }

    /**
     * Erases a submission's content now. One that is queued or running is cancelled first, so that
     * nothing its run reports afterwards is stored; one that finished meanwhile is erased as it is.
     */
    SubmissionRecord purge(Caller caller, UUID id) {
        if (!get(caller, id).isFinal()) {
            cancelUnlessFinal(caller, id);
        }
        if (!purge.purge(caller, id)) {
            throw new ApiException.NotFound("no submission " + id + " for this API key");
        }
        signals.changed(id);
        return get(caller, id);
    }

    /**
     * Erases the content of every submission of a key: its queued and running ones are cancelled
     * first, as {@link #purge} does. The key should be revoked already, so that none is added meanwhile.
     *
     * @return how many submissions were erased
     */
    public int purgeKey(Caller admin, UUID keyId) {
        purge.active(keyId).forEach(id -> cancelUnlessFinal(admin, id));
        return purge.purgeKey(admin, keyId);
    }

    private void cancelUnlessFinal(Caller caller, UUID id) {
        try {
            cancel(caller, id);
        } catch (ApiException.AlreadyFinal e) {
            // It finished between the read and the cancel: it is final, which is all a purge needs.
            log.debug("submission {} finished before it could be cancelled for its purge", id);
        }
    }

    /** The answer to a repeated request: the earlier submission, never a second run. */
    private SubmissionRecord repeat(Caller caller, SubmissionStore.Earlier earlier, byte[] requestHash, String key, boolean wait) {
        if (!Arrays.equals(earlier.requestHash(), requestHash)) {
            throw new ApiException.IdempotencyConflict(key);
        }
        SubmissionRecord stored = get(caller, earlier.id());
        if (!wait || stored.isFinal()) {
            return stored;
        }
        return awaitFinal(caller, earlier.id(), stored);
    }

    /** SHA-256 of the request as the api read it: the same fields give the same hash, however they were spelled. */
    private byte[] hash(SubmissionRequest request) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(canonical.writeValueAsBytes(request));
        } catch (NoSuchAlgorithmException | JsonProcessingException e) {
            throw new IllegalStateException("cannot hash the request", e);
        }
    }

    /** The stored row, or, when the database cannot answer right now, {@code fallback}. */
    private SubmissionRecord readOr(Caller caller, UUID id, SubmissionRecord fallback) {
        try (var _ = MDC.putCloseable("submission", id.toString())) {
            try {
                return get(caller, id);
            } catch (RuntimeException e) {
                log.warn("submission {} stored; answering from what is known: {}", id, e.getMessage());
                return fallback;
            }
        }
    }

    SubmissionRecord get(Caller caller, UUID id) {
        return store.find(id, caller)
                .orElseThrow(() -> new ApiException.NotFound("no submission " + id + " for this API key"));
    }

    /**
     * What the submission asked for, as a request that would submit it again; empty once its content
     * was erased. Throws as {@link #get} does when {@code caller} may not see it.
     */
    Optional<SubmissionRequest> request(Caller caller, UUID id) {
        return store.job(id, caller).map(job -> SubmittedRequest.of(codec.decode(job, "the stored job of submission " + id)));
    }

    /** As {@link #get}, without reading the outputs, tests and output files. */
    SubmissionRecord getWithoutOutputs(Caller caller, UUID id) {
        return store.findWithoutOutputs(id, caller)
                .orElseThrow(() -> new ApiException.NotFound("no submission " + id + " for this API key"));
    }

    /**
     * Waits for the local signal, re-reading the row every second as well: the result may be stored
     * by another api instance, whose signal never reaches this one. A key revoked meanwhile ends the
     * wait with a 401 within that second.
     */
    private SubmissionRecord awaitFinal(Caller caller, UUID id, SubmissionRecord fallback) {
        Instant deadline = clock.instant().plus(maxWait);
        while (true) {
            CompletableFuture<Void> changed = signals.next(id);
            SubmissionRecord current = readOr(caller, id, fallback);
            Duration left = Duration.between(clock.instant(), deadline);
            if (current.isFinal() || left.isNegative() || left.isZero()) {
                return current;
            }
            if (!ChangeSignals.await(changed, left.compareTo(ChangeSignals.RECHECK) < 0 ? left : ChangeSignals.RECHECK)) {
                return readOr(caller, id, fallback);
            }
            if (!keyHolds(caller)) {
                throw new ApiException.Unauthorized("this API key was revoked while the request waited");
            }
        }
    }
}
