package dev.crucible.api.submission;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crucible.api.auth.Caller;
import dev.crucible.api.generated.SubmissionsApi;
import dev.crucible.api.http.Access;
import dev.crucible.api.http.ApiException;
import dev.crucible.api.http.JsonBody;
import dev.crucible.api.http.Request;
import dev.crucible.api.http.Response;
import dev.crucible.api.http.ResponseBudget;
import dev.crucible.api.http.Router;
import dev.crucible.api.model.Batch;
import dev.crucible.api.model.BatchAggregate;
import dev.crucible.api.model.BatchRequest;
import dev.crucible.api.model.FieldError;
import dev.crucible.api.model.Submission;
import dev.crucible.api.model.SubmissionPage;
import dev.crucible.api.model.SubmissionRequest;
import dev.crucible.api.model.SubmissionStatus;
import dev.crucible.api.model.Verdict;
import dev.crucible.api.webhook.CallbackFormat;
import dev.crucible.queue.LiveOutput;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;

/** {@code /v1/submissions}: the generated interface, and its routes. */
public final class SubmissionsResource implements SubmissionsApi {
    private static final Access SUBMITTERS = Access.roles(Caller.Role.ADMIN, Caller.Role.SUBMITTER);

    private final SubmissionService service;
    private final SubmissionStore store;
    private final JsonBody body;
    private final SubmissionEventStream events;
    private final ResponseBudget responses;
    private final SubmissionFields fields;

    public SubmissionsResource(SubmissionService service, SubmissionStore store, JsonBody body, ChangeSignals signals, ObjectMapper mapper,
                               ResponseBudget responses, LiveOutput live) {
        this.service = service;
        this.store = store;
        this.body = body;
        this.events = new SubmissionEventStream(service, store, signals, mapper, responses, live);
        this.responses = responses;
        this.fields = new SubmissionFields(mapper);
    }

    @Override
    public Submission createSubmission(SubmissionRequest request, Boolean wait, String idempotencyKey) {
        Caller caller = Caller.current();
        if (idempotencyKey != null && !idempotencyKey.matches("[\\x21-\\x7e]{1,255}")) {
            throw new ApiException.InvalidRequest(List.of(new FieldError("Idempotency-Key", "must be 1..255 printable ASCII characters")));
        }
        return SubmissionView.of(service.create(caller, request, Boolean.TRUE.equals(wait), idempotencyKey, CallbackFormat.CRUCIBLE));
    }

    /** For the adapters of other APIs: as {@code POST /v1/submissions}, its callback sent in {@code format}. */
    public Submission createSubmission(SubmissionRequest request, boolean wait, CallbackFormat format) {
        return SubmissionView.of(service.create(Caller.current(), request, wait, null, format));
    }

    /** Refuses, as a create would (422), a request that cannot be submitted; nothing is stored. For evaluations' samples. */
    public void check(SubmissionRequest request) {
        service.check(request);
    }

    /** The whole submission; the route narrows it to {@code fields}. */
    @Override
    public Submission getSubmission(UUID id, String fields) {
        return SubmissionView.of(service.get(Caller.current(), id));
    }

    /**
     * The caller's own submissions among {@code ids}, in that order, empty where it made none: for the
     * adapters whose clients see only what their key made (a Judge0 token), an admin's key included.
     * Read within the response budget: the adapters answer with less than the rows hold.
     */
    public List<Optional<Submission>> ownSubmissions(List<UUID> ids) {
        UUID key = Caller.current().keyId();
        try (ResponseBudget.Held _ = responses.admit(store.storedBytesOwn(ids, key))) {
            Map<UUID, SubmissionRecord> found = new HashMap<>();
            store.findOwn(ids, key).forEach(record -> found.put(record.id(), record));
            return ids.stream().map(id -> Optional.ofNullable(found.get(id)).map(SubmissionView::of)).toList();
        }
    }

    @Override
    public Submission cancelSubmission(UUID id, Boolean purge) {
        Caller caller = Caller.current();
        return SubmissionView.of(Boolean.TRUE.equals(purge) ? service.purge(caller, id) : service.cancel(caller, id));
    }

    /** The route streams events as they happen ({@link SubmissionEventStream}); a String cannot carry that. */
    @Override
    public String streamSubmissionEvents(UUID id) {
        throw new UnsupportedOperationException("events are streamed by the route of GET /v1/submissions/{id}/events");
    }

    @Override
    public SubmissionPage listSubmissions(SubmissionStatus status, String runtime, Verdict verdict,
                                          OffsetDateTime createdAfter, OffsetDateTime createdBefore, Integer limit, String cursor) {
        Caller caller = Caller.current();
        int size = limit == null ? 50 : limit;
        if (size < 1 || size > 200) {
            throw new ApiException.InvalidRequest(List.of(new FieldError("limit", "is " + size + "; allowed 1..200")));
        }
        var filter = new SubmissionStore.ListFilter(status == null ? null : Status.ofWireName(status.toString()), runtime,
                verdict == null ? null : verdict.toString(),
                createdAfter == null ? null : createdAfter.toInstant(), createdBefore == null ? null : createdBefore.toInstant());
        List<SubmissionRecord> rows = store.list(caller.keyId(), filter, ListCursor.read(cursor), size + 1);
        SubmissionPage page = new SubmissionPage(rows.stream().limit(size).map(SubmissionView::summary).toList());
        if (rows.size() > size) {
            SubmissionRecord last = rows.get(size - 1);
            page.nextCursor(ListCursor.write(last.times().createdAt(), last.id()));
        }
        return page;
    }

    @Override
    public Batch createBatch(BatchRequest request) {
        return createBatch(request, CallbackFormat.CRUCIBLE);
    }

    /** For the adapters of other APIs: as {@code POST /v1/batches}, the callbacks sent in {@code format}. */
    public Batch createBatch(BatchRequest request, CallbackFormat format) {
        return batchView(service.createBatch(Caller.current(), request.getSubmissions() == null ? List.of() : request.getSubmissions(),
                format));
    }

    @Override
    public Batch getBatch(UUID id) {
        return batchView(service.getBatch(Caller.current(), id));
    }

    private static Batch batchView(SubmissionService.BatchRecord batch) {
        Map<String, Integer> verdicts = new TreeMap<>();
        int[] byStatus = new int[4];
        for (SubmissionRecord s : batch.submissions()) {
            switch (s.status()) {
                case QUEUED -> byStatus[0]++;
                case RUNNING -> byStatus[1]++;
                case COMPLETED -> byStatus[2]++;
                case CANCELLED -> byStatus[3]++;
            }
            if (s.outcome() != null) {
                verdicts.merge(s.outcome().verdict().wireName(), 1, Integer::sum);
            }
        }
        var aggregate = new BatchAggregate(batch.submissions().size(), byStatus[0], byStatus[1], byStatus[2], byStatus[3], verdicts);
        return new Batch(batch.id(), batch.createdAt().atOffset(ZoneOffset.UTC),
                batch.submissions().stream().map(SubmissionView::summary).toList(), aggregate);
    }

    public void addRoutes(Router router) {
        router.add("POST", "/v1/batches", SUBMITTERS,
                request -> new Response(202, createBatch(body.read(request.exchange(), BatchRequest.class))));
        router.add("GET", "/v1/batches/{id}", Access.anyKey(),
                request -> Response.ok(getBatch(request.idParameter("id", SubmissionsResource::notFound))));
        router.add("GET", "/v1/submissions", Access.anyKey(), request -> Response.ok(listSubmissions(
                enumValue(request, "status", SubmissionStatus::fromValue),
                request.query("runtime").orElse(null),
                enumValue(request, "verdict", Verdict::fromValue),
                time(request, "created_after"),
                time(request, "created_before"),
                request.wholeNumber("limit").orElse(null),
                request.query("cursor").orElse(null))));
        router.add("POST", "/v1/submissions", SUBMITTERS, request -> {
            boolean wait = request.flag("wait");
            Submission submission = createSubmission(body.read(request.exchange(), SubmissionRequest.class), wait,
                    request.exchange().getRequestHeaders().getFirst("Idempotency-Key"));
            return new Response(wait && submission.getStatus() == SubmissionStatus.COMPLETED ? 200 : 202, submission);
        });
        router.add("GET", "/v1/submissions/{id}", Access.anyKey(), request -> {
            UUID id = request.idParameter("id", SubmissionsResource::notFound);
            Optional<Set<String>> wanted = fields.parse(request.query("fields"));
            if (wanted.isPresent() && SubmissionFields.withoutLarge(wanted.get())) {
                return Response.ok(fields.select(SubmissionView.of(service.getWithoutOutputs(Caller.current(), id)), wanted.get()));
            }
            // Counted before the row is read: the budget bounds what large answers hold, from the read to the send.
            boolean asked = wanted.isPresent() && wanted.get().contains(SubmissionFields.REQUEST);
            ResponseBudget.Held held = responses.admit(store.storedBytes(id, Caller.current(), asked));
            try {
                Submission submission = getSubmission(id, null);
                if (asked) {
                    service.request(Caller.current(), id).ifPresent(submission::request);
                }
                // A small answer holds nothing and is sent as any other; the edge streams one that holds its share.
                return new Response(200, wanted.<Object>map(names -> fields.select(submission, names)).orElse(submission),
                        held == ResponseBudget.Held.NONE ? null : held);
            } catch (Throwable e) {
                held.close();
                throw e;
            }
        });
        router.add("GET", "/v1/submissions/{id}/events", Access.anyKey(),
                request -> events.open(Caller.current(), request.idParameter("id", SubmissionsResource::notFound),
                        request.exchange().getRequestHeaders().getFirst("Last-Event-ID")));
        router.add("DELETE", "/v1/submissions/{id}", SUBMITTERS,
                request -> Response.ok(cancelSubmission(request.idParameter("id", SubmissionsResource::notFound),
                        request.flag("purge"))));
    }

    private static <T> T enumValue(Request request, String name, Function<String, T> parse) {
        return request.query(name).map(raw -> {
            try {
                return parse.apply(raw);
            } catch (IllegalArgumentException e) {
                throw new ApiException.InvalidRequest(List.of(new FieldError(name, "'" + raw + "' is not one of the documented values")));
            }
        }).orElse(null);
    }

    private static OffsetDateTime time(Request request, String name) {
        return request.query(name).map(raw -> {
            try {
                OffsetDateTime time = OffsetDateTime.parse(raw);
                if (time.getYear() < 1 || time.getYear() > 9999) {
                    throw new DateTimeParseException("out of range", raw, 0);
                }
                return time;
            } catch (DateTimeParseException e) {
                throw new ApiException.InvalidRequest(List.of(new FieldError(name, "must be an RFC 3339 time, e.g. 2026-01-31T12:00:00Z")));
            }
        }).orElse(null);
    }

    private static String notFound(String raw) {
        return "no submission " + raw + " for this API key";
    }
}
