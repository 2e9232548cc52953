package dev.crucible.api.evaluation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crucible.api.auth.Caller;
import dev.crucible.api.generated.EvaluationsApi;
import dev.crucible.api.http.Access;
import dev.crucible.api.http.ApiException;
import dev.crucible.api.http.EventStreamWriter;
import dev.crucible.api.http.JsonBody;
import dev.crucible.api.http.Response;
import dev.crucible.api.http.Router;
import dev.crucible.api.model.Evaluation;
import dev.crucible.api.model.EvaluationProblemResult;
import dev.crucible.api.model.EvaluationProgress;
import dev.crucible.api.model.EvaluationRequest;
import dev.crucible.api.model.EvaluationSample;
import dev.crucible.api.model.EvaluationSamplePage;
import dev.crucible.api.model.FieldError;
import dev.crucible.api.model.Verdict;
import dev.crucible.api.submission.SubmissionsResource;
import dev.crucible.runtime.RuntimeCatalog;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.function.Predicate;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /v1/evaluations}: an evaluation is checked and stored whole, then fed to the submissions API
 * by {@link EvaluationFeeder}; reads join its samples with their submissions' rows.
 */
public final class EvaluationsResource implements EvaluationsApi {
    private static final Logger log = LoggerFactory.getLogger(EvaluationsResource.class);
    private static final Access SUBMITTERS = Access.roles(Caller.Role.ADMIN, Caller.Role.SUBMITTER);
    private static final int DEFAULT_PAGE = 100;
    private static final int MAX_PAGE = 1000;
    private static final Duration EVENT_PERIOD = Duration.ofSeconds(1);
    private static final Duration LONGEST_STREAM = Duration.ofMinutes(10);
    /** Evaluations one key may have running: each is fed in turn, and each read aggregates all its samples. */
    static final int MAX_RUNNING_PER_KEY = 4;

    private final EvaluationStore store;
    private final SamplePrograms programs;
    private final SubmissionsResource submissions;
    private final JsonBody body;
    private final ObjectMapper mapper;
    private final EvaluationFeeder feeder;
    private final Predicate<UUID> keyHolds;

    /** @param maxSamples samples in one evaluation at most */
    public EvaluationsResource(Jdbi jdbi, RuntimeCatalog catalog, int maxSamples, SubmissionsResource submissions, JsonBody body,
                               ObjectMapper mapper, Predicate<UUID> keyHolds) {
        this.store = new EvaluationStore(jdbi);
        this.programs = new SamplePrograms(catalog, maxSamples, request -> submissions.check(request));
        this.submissions = submissions;
        this.body = body;
        this.mapper = mapper;
        this.feeder = new EvaluationFeeder(store, submissions, keyHolds, mapper);
        this.keyHolds = keyHolds;
    }

    /** What makes evaluations' samples into submissions; its owner starts and stops it. */
    public EvaluationFeeder feeder() {
        return feeder;
    }

    @Override
    public Evaluation createEvaluation(EvaluationRequest request) {
        Caller caller = Caller.current();
        List<SamplePrograms.Problem> problems = programs.of(request);
        UUID id = UUID.randomUUID();
        List<EvaluationStore.NewProblem> rows = problems.stream()
                .map(p -> new EvaluationStore.NewProblem(p.index(), p.id(), json(p.template()), p.samples())).toList();
        List<Integer> ks = SamplePrograms.ks(request).stream().distinct().sorted().toList();
        if (!store.insert(id, caller, request.getRuntime(), json(ks), rows, MAX_RUNNING_PER_KEY)) {
            throw new ApiException.TooManyRequests("this key may have " + MAX_RUNNING_PER_KEY + " evaluations running at once",
                    Duration.ofSeconds(10));
        }
        log.info("evaluation {} stored: {} samples of {} problems", id, problems.stream().mapToInt(p -> p.samples().size()).sum(),
                problems.size());
        return getEvaluation(id);
    }

    @Override
    public Evaluation getEvaluation(UUID id) {
        return view(header(id));
    }

    @Override
    public Evaluation cancelEvaluation(UUID id) {
        Caller caller = Caller.current();
        EvaluationStore.Header evaluation = header(id);
        if (store.cancel(id, caller, "cancelled by its caller")) {
            // Cancelled by its own caller's right: a submission it made is that key's, which an admin may cancel too.
            for (UUID submission : store.unfinishedSubmissions(id)) {
                try {
                    submissions.cancelSubmission(submission, false);
                } catch (ApiException.AlreadyFinal | ApiException.NotFound finishedMeanwhile) {
                    // it ended on its own meanwhile: it counts as it ended
                }
            }
        }
        return view(header(evaluation.id()));
    }

    @Override
    public EvaluationSamplePage listEvaluationSamples(UUID id, String problem, Integer limit, String cursor) {
        header(id);
        int size = limit == null ? DEFAULT_PAGE : limit;
        if (size < 1 || size > MAX_PAGE) {
            throw new ApiException.InvalidRequest(List.of(new FieldError("limit", "1.." + MAX_PAGE)));
        }
        int after = cursor == null ? -1 : position(cursor);
        List<EvaluationStore.SampleRow> rows = store.samples(id, problem, after, size + 1);
        EvaluationSamplePage page = new EvaluationSamplePage(rows.stream().limit(size).map(EvaluationsResource::sample).toList());
        if (rows.size() > size) {
            page.nextCursor(Integer.toString(rows.get(size - 1).position()));
        }
        return page;
    }

    /** The route streams the lines ({@link #writeResults}); a String cannot carry that. */
    @Override
    public String downloadEvaluationResults(UUID id) {
        throw new UnsupportedOperationException("served as a stream by its route");
    }

    /** The route streams events as they happen; a String cannot carry that. */
    @Override
    public String streamEvaluationEvents(UUID id) {
        throw new UnsupportedOperationException("served as a stream by its route");
    }

    public void addRoutes(Router router) {
        router.add("POST", "/v1/evaluations", SUBMITTERS,
                request -> new Response(202, createEvaluation(body.read(request.exchange(), EvaluationRequest.class))));
        router.add("GET", "/v1/evaluations/{id}", Access.anyKey(),
                request -> Response.ok(getEvaluation(request.idParameter("id", EvaluationsResource::notFound))));
        router.add("DELETE", "/v1/evaluations/{id}", SUBMITTERS,
                request -> Response.ok(cancelEvaluation(request.idParameter("id", EvaluationsResource::notFound))));
        router.add("GET", "/v1/evaluations/{id}/samples", Access.anyKey(), request -> Response.ok(listEvaluationSamples(
                request.idParameter("id", EvaluationsResource::notFound), request.query("problem").orElse(null),
                request.wholeNumber("limit").orElse(null), request.query("cursor").orElse(null))));
        router.add("GET", "/v1/evaluations/{id}/results", Access.anyKey(), request -> {
            UUID id = request.idParameter("id", EvaluationsResource::notFound);
            header(id);
            return new Response(200, new Response.Stream("application/x-ndjson", out -> writeResults(id, out)));
        });
        router.add("GET", "/v1/evaluations/{id}/events", Access.anyKey(), request -> {
            UUID id = request.idParameter("id", EvaluationsResource::notFound);
            header(id);
            Caller caller = Caller.current();
            return new Response(200, new Response.Stream("text/event-stream", out -> writeEvents(caller, id, out)));
        });
    }

    private EvaluationStore.Header header(UUID id) {
        return store.find(id, Caller.current()).orElseThrow(() -> new ApiException.NotFound("no evaluation " + id + " for this API key"));
    }

    /** The evaluation's progress and counts, and pass@k for each problem whose samples are all done. */
    private Evaluation view(EvaluationStore.Header header) {
        List<Integer> ks = ks(header.ks());
        List<EvaluationStore.ProblemCounts> problems = store.problems(header.id());
        int total = 0;
        int submitted = 0;
        int done = 0;
        List<EvaluationProblemResult> results = new ArrayList<>(problems.size());
        boolean allDone = true;
        for (EvaluationStore.ProblemCounts p : problems) {
            total += p.n();
            submitted += p.submitted();
            done += p.done();
            // Named setters, not the model's constructor: its integers come in the contract's order, easy to swap.
            EvaluationProblemResult result = new EvaluationProblemResult().id(p.problemId()).n(p.n()).done(p.done()).c(p.correct());
            if (p.done() == p.n()) {
                passAtK(ks, k -> PassAtK.estimate(p.n(), p.correct(), k), result::passAtK, result::undefinedK);
            } else {
                allDone = false;
            }
            results.add(result);
        }
        Evaluation evaluation = new Evaluation(header.id(), Evaluation.StatusEnum.fromValue(header.status()), header.runtime(), ks,
                header.createdAt().atOffset(ZoneOffset.UTC),
                new EvaluationProgress().total(total).submitted(submitted).done(done).byVerdict(store.doneByVerdict(header.id())),
                results);
        evaluation.message(header.message());
        if (header.finishedAt() != null) {
            evaluation.finishedAt(header.finishedAt().atOffset(ZoneOffset.UTC));
        }
        if (allDone && !results.isEmpty()) {
            passAtK(ks, k -> mean(results, k), evaluation::passAtK, evaluation::undefinedK);
        }
        return evaluation;
    }

    /** Each k's estimate, keyed by k as text, and the k it is undefined for, handed to the model's setters. */
    private static void passAtK(List<Integer> ks, IntFunction<OptionalDouble> estimate, Consumer<Map<String, Double>> defined,
                                Consumer<List<Integer>> undefined) {
        Map<String, Double> byK = new LinkedHashMap<>();
        List<Integer> none = new ArrayList<>();
        for (int k : ks) {
            OptionalDouble value = estimate.apply(k);
            if (value.isPresent()) {
                byK.put(Integer.toString(k), value.getAsDouble());
            } else {
                none.add(k);
            }
        }
        defined.accept(byK);
        if (!none.isEmpty()) {
            undefined.accept(none);
        }
    }

    /** The mean over the problems where pass@k is defined; empty where it is defined for none. */
    private static OptionalDouble mean(List<EvaluationProblemResult> results, int k) {
        return results.stream().map(r -> r.getPassAtK().get(Integer.toString(k))).filter(Objects::nonNull)
                .mapToDouble(Double::doubleValue).average();
    }

    private static EvaluationSample sample(EvaluationStore.SampleRow row) {
        EvaluationSample sample = new EvaluationSample(row.problemId(), row.sampleIndex(), EvaluationSample.StatusEnum.fromValue(row.status()));
        if (row.verdict() != null) {
            sample.verdict(Verdict.fromValue(row.verdict()));
        }
        return sample.submissionId(row.submissionId()).wallTimeMs(row.usage().wallTimeMs()).cpuTimeMs(row.usage().cpuTimeMs())
                .peakMemoryKb(row.usage().peakMemoryKb()).message(row.refused());
    }

    /** Every sample, a line each, read a page at a time so that no evaluation is held whole. */
    private void writeResults(UUID id, OutputStream out) throws IOException {
        int after = -1;
        while (true) {
            List<EvaluationStore.SampleRow> rows = store.samples(id, null, after, MAX_PAGE);
            for (EvaluationStore.SampleRow row : rows) {
                out.write(mapper.writeValueAsBytes(sample(row)));
                out.write('\n');
            }
            if (rows.size() < MAX_PAGE) {
                out.flush();
                return;
            }
            after = rows.getLast().position();
        }
    }

    /** The evaluation as it is, then whenever it changed (looked at every second), until it is final. */
    private void writeEvents(Caller caller, UUID id, OutputStream body) throws IOException {
        EventStreamWriter out = EventStreamWriter.ofStates(body);
        out.comment("stream of evaluation " + id);
        long started = System.nanoTime();
        String lastSent = null;
        while (System.nanoTime() - started < LONGEST_STREAM.toNanos()) {
            // A key revoked meanwhile ends the stream within the period, as a submission's does.
            EvaluationStore.Header header = keyHolds.test(caller.keyId()) ? store.find(id, caller).orElse(null) : null;
            if (header == null) {
                return; // its key was revoked, or it is gone: nothing more to say
            }
            Evaluation evaluation = view(header);
            String json = mapper.writeValueAsString(evaluation);
            if (!json.equals(lastSent)) {
                out.event("evaluation", json);
                lastSent = json;
            }
            if (evaluation.getStatus() != Evaluation.StatusEnum.RUNNING) {
                return;
            }
            out.heartbeatIfDue();
            try {
                Thread.sleep(EVENT_PERIOD);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return; // the server is stopping
            }
        }
    }

    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a model that cannot be written as JSON: " + value.getClass().getSimpleName(), e);
        }
    }

    private List<Integer> ks(String json) {
        try {
            return mapper.readValue(json, new TypeReference<>() {});
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an evaluation's stored k cannot be read: " + json, e);
        }
    }

    private static int position(String cursor) {
        try {
            return Integer.parseInt(cursor);
        } catch (NumberFormatException e) {
            throw new ApiException.InvalidRequest(List.of(new FieldError("cursor", "a next_cursor of an earlier page")));
        }
    }

    private static String notFound(String raw) {
        return "no evaluation " + raw + " for this API key";
    }
}
