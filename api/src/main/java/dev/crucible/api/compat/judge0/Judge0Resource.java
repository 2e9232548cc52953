package dev.crucible.api.compat.judge0;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.crucible.api.ApiConfig;
import dev.crucible.api.auth.Caller;
import dev.crucible.api.generated.Judge0Api;
import dev.crucible.api.http.Access;
import dev.crucible.api.http.ApiException;
import dev.crucible.api.http.JsonBody;
import dev.crucible.api.http.Request;
import dev.crucible.api.http.Response;
import dev.crucible.api.http.Router;
import dev.crucible.api.model.BatchRequest;
import dev.crucible.api.model.FieldError;
import dev.crucible.api.model.Judge0About;
import dev.crucible.api.model.Judge0Batch;
import dev.crucible.api.model.Judge0BatchRequest;
import dev.crucible.api.model.Judge0Config;
import dev.crucible.api.model.Judge0Error;
import dev.crucible.api.model.Judge0Language;
import dev.crucible.api.model.Judge0Status;
import dev.crucible.api.model.Judge0Submission;
import dev.crucible.api.model.Judge0SubmissionRequest;
import dev.crucible.api.model.Submission;
import dev.crucible.api.model.SubmissionRequest;
import dev.crucible.api.submission.SubmissionsResource;
import dev.crucible.api.webhook.CallbackFormat;
import dev.crucible.runtime.RuntimeCatalog;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Judge0 CE 1.13.1's API under {@code /judge0/}, onto {@code /v1/submissions}: the same validation,
 * quotas, queue, sandbox and stored result; Judge0's shapes, semantics and error bodies. The key comes
 * in {@code X-Auth-Token} (Judge0's usual {@code AUTHN_HEADER}) or {@code Authorization: Bearer}
 * (what judge0/ide sends); a 401 or 403 has an empty body, as Judge0's {@code head :unauthorized}.
 */
public final class Judge0Resource implements Judge0Api {
    private static final Logger log = LoggerFactory.getLogger(Judge0Resource.class);
    static final String VERSION = "1.13.1";
    static final int JUDGE0_MAX_BATCH = 20;
    private static final Pattern BATCH_FIELD = Pattern.compile("submissions\\[(\\d+)]\\.(.+)");
    /**
     * The Judge0 attribute each field of Crucible's request comes from, by the field's start; the first
     * match wins, so {@code limits.memory_mb} comes before {@code limits}.
     */
    private static final List<Map.Entry<String, String>> JUDGE0_FIELDS = List.of(
            Map.entry("source", "source_code"), Map.entry("files", "source_code"), Map.entry("stdin", "stdin"),
            Map.entry("args", "command_line_arguments"),
            Map.entry("compile_options", "compiler_options"), Map.entry("tests", "expected_output"),
            Map.entry("limits.memory_mb", "memory_limit"), Map.entry("limits", "wall_time_limit"),
            Map.entry("runs", "number_of_runs"), Map.entry("callback_url", "callback_url"));
    private static final Access READERS = Access.anyKey().orKeyIn("X-Auth-Token").refusedWithoutBody();
    private static final Access SUBMITTERS = Access.roles(Caller.Role.ADMIN, Caller.Role.SUBMITTER).orKeyIn("X-Auth-Token")
            .refusedWithoutBody();

    /** One item of a batch: read as Judge0 reads it, or what was wrong with it. */
    sealed interface Item {
        record Read(Judge0SubmissionRequest request) implements Item {}

        record Unreadable(Map<String, List<String>> errors) implements Item {}
    }

    private final Judge0Languages languages;
    private final Judge0Requests requests;
    private final SubmissionsResource submissions;
    private final JsonBody body;
    private final int maxBatch;
    private final Judge0Config config;
    private final ObjectMapper writer = Judge0Results.writer();
    /** Rails takes attributes it does not know, and numbers or booleans as strings: so does this reader. */
    private final ObjectMapper lenient = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .enable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .build();

    public Judge0Resource(RuntimeCatalog catalog, ApiConfig.RunLimits limits, ApiConfig.Admission admission,
                          SubmissionsResource submissions, JsonBody body) {
        this.languages = new Judge0Languages(catalog);
        this.requests = new Judge0Requests(languages, limits);
        this.submissions = submissions;
        this.body = body;
        this.maxBatch = Math.min(JUDGE0_MAX_BATCH, admission.maxBatch());
        this.config = Judge0Settings.config(catalog, limits, admission, maxBatch);
    }

    @Override
    public Judge0Submission createJudge0Submission(Judge0SubmissionRequest request, String base64Encoded, String wait,
                                                   String fields) {
        Judge0Fields wanted = Judge0Fields.parse(fields);
        boolean base64 = "true".equals(base64Encoded);
        boolean waiting = "true".equals(wait);
        SubmissionRequest submission = requests.toSubmission(request, base64);
        Submission created = crucible(() -> submissions.createSubmission(submission, waiting, CallbackFormat.JUDGE0), "");
        if (!waiting) {
            return new Judge0Submission().token(created.getId());
        }
        try {
            return Judge0Results.of(created, languages, base64, wanted);
        } catch (Judge0Results.Unconvertible e) {
            // Created all the same: Judge0 answers 201 with the token beside its error.
            throw Judge0Refusal.of(201, new Judge0Error(e.getMessage()).token(e.token()));
        }
    }

    @Override
    public List<Map<String, Object>> createJudge0Batch(Judge0BatchRequest request, String base64Encoded) {
        List<Item> items = request.getSubmissions() == null ? List.of()
                : request.getSubmissions().stream().<Item>map(Item.Read::new).toList();
        return createBatch(items, "true".equals(base64Encoded));
    }

    /**
     * Each item on its own, as Judge0 does: those it refuses get their errors, the others are created,
     * together, as one Crucible batch (so that the key's quotas take them all or none). An item that
     * Crucible refuses is answered with its errors and the others are tried again without it.
     */
    List<Map<String, Object>> createBatch(List<Item> items, boolean base64) {
        if (items.isEmpty()) {
            throw Judge0Refusal.badRequest("there should be at least one submission in a batch");
        }
        if (items.size() > maxBatch) {
            throw Judge0Refusal.badRequest("number of submissions in a batch should be less than or equal to " + maxBatch);
        }
        List<Map<String, Object>> answers = new ArrayList<>();
        Map<Integer, SubmissionRequest> pending = new LinkedHashMap<>();
        for (int i = 0; i < items.size(); i++) {
            answers.add(null);
            switch (items.get(i)) {
                case Item.Unreadable(Map<String, List<String>> errors) -> answers.set(i, new LinkedHashMap<>(errors));
                case Item.Read(Judge0SubmissionRequest read) -> {
                    try {
                        pending.put(i, requests.toSubmission(read, base64));
                    } catch (Judge0Refusal refused) {
                        answers.set(i, new LinkedHashMap<>(refused.errors().orElseThrow(() -> refused)));
                    }
                }
            }
        }
        // Crucible checks every item before storing any: a second try holds only items it took.
        for (int attempt = 0; attempt < 2 && !pending.isEmpty(); attempt++) {
            List<Integer> order = List.copyOf(pending.keySet());
            try {
                List<Submission> created = submissions.createBatch(new BatchRequest(List.copyOf(pending.values())), CallbackFormat.JUDGE0)
                        .getSubmissions();
                for (int j = 0; j < order.size(); j++) {
                    answers.set(order.get(j), Map.of("token", created.get(j).getId().toString()));
                }
                pending.clear();
            } catch (ApiException.InvalidRequest e) {
                Map<Integer, Map<String, List<String>>> byItem = new LinkedHashMap<>();
                for (FieldError error : e.errors()) {
                    Matcher m = BATCH_FIELD.matcher(error.getField());
                    if (!m.matches()) {
                        throw e; // about the batch as a whole (the key's quotas): no item is to blame
                    }
                    byItem.computeIfAbsent(order.get(Integer.parseInt(m.group(1))), _ -> new LinkedHashMap<>())
                            .computeIfAbsent(judge0Field(m.group(2)), _ -> new ArrayList<>()).add(error.getMessage());
                }
                byItem.forEach((index, errors) -> {
                    answers.set(index, new LinkedHashMap<>(errors));
                    pending.remove(index);
                });
            }
        }
        return answers;
    }

    @Override
    public Judge0Batch getJudge0Batch(String tokens, String base64Encoded, String fields) {
        Judge0Fields wanted = Judge0Fields.parse(fields);
        String given = tokens == null ? "" : tokens.strip();
        List<String> asked = given.isEmpty() ? List.of() : List.of(given.split(","));
        if (asked.isEmpty()) {
            throw Judge0Refusal.badRequest("there should be at least one submission in a batch");
        }
        if (asked.size() > maxBatch) {
            throw Judge0Refusal.badRequest("number of submissions in a batch should be less than or equal to " + maxBatch);
        }
        List<Optional<UUID>> ids = asked.stream().map(Judge0Resource::token).toList();
        List<Optional<Submission>> found = submissions.ownSubmissions(ids.stream().flatMap(Optional::stream).distinct().toList());
        Map<UUID, Submission> byId = new LinkedHashMap<>();
        found.stream().flatMap(Optional::stream).forEach(s -> byId.put(s.getId(), s));
        List<Judge0Submission> answer = new ArrayList<>();
        try {
            for (Optional<UUID> id : ids) {
                Submission submission = id.map(byId::get).orElse(null);
                answer.add(submission == null ? null : Judge0Results.of(submission, languages, "true".equals(base64Encoded), wanted));
            }
        } catch (Judge0Results.Unconvertible e) {
            throw Judge0Refusal.badRequest("some attributes for one or more submissions cannot be converted to UTF-8,"
                    + " use base64_encoded=true query parameter");
        }
        return new Judge0Batch(answer);
    }

    @Override
    public Judge0Submission getJudge0Submission(String token, String base64Encoded, String fields) {
        Judge0Fields wanted = Judge0Fields.parse(fields);
        Submission submission = token(token).flatMap(id -> submissions.ownSubmissions(List.of(id)).getFirst())
                .orElseThrow(Judge0Refusal::notFound);
        try {
            return Judge0Results.of(submission, languages, "true".equals(base64Encoded), wanted);
        } catch (Judge0Results.Unconvertible e) {
            throw Judge0Refusal.badRequest(e.getMessage());
        }
    }

    @Override
    public List<Judge0Language> listJudge0Languages() {
        return languages.listed();
    }

    @Override
    public List<Judge0Language> listAllJudge0Languages() {
        return languages.all();
    }

    @Override
    public Judge0Language getJudge0Language(String id) {
        try {
            return languages.byId(Integer.parseInt(id)).map(Judge0Languages.Language::details).orElseThrow(Judge0Refusal::notFound);
        } catch (NumberFormatException e) {
            throw Judge0Refusal.notFound();
        }
    }

    @Override
    public List<Judge0Status> listJudge0Statuses() {
        return Judge0StatusCode.all();
    }

    @Override
    public Judge0Config getJudge0Config() {
        return config;
    }

    @Override
    public Judge0About getJudge0About() {
        // Clients choose their table of language ids by this version: 1.13.1's ids are the ones listed here.
        return new Judge0About(VERSION).maintainer("Crucible, a Judge0 CE " + VERSION + " compatible adapter (docs/api.md: Coming from Judge0)");
    }

    public void addRoutes(Router router) {
        // batch before {token}: the router takes the first route whose template matches.
        router.add("POST", "/judge0/submissions/batch", SUBMITTERS, request -> answer(request, () -> {
            var answers = createBatch(items(readObject(request)), flag(request, "base64_encoded"));
            boolean anyCreated = answers.stream().anyMatch(answer -> answer.containsKey("token"));
            return json(anyCreated ? 201 : 422, answers);
        }));
        router.add("GET", "/judge0/submissions/batch", READERS, request -> answer(request, () -> {
            // Judge0 takes the tokens from a header of that name as well.
            String tokens = Optional.ofNullable(request.exchange().getRequestHeaders().getFirst("tokens"))
                    .orElse(request.query("tokens").orElse(null));
            Judge0Fields wanted = Judge0Fields.parse(request.query("fields").orElse(null));
            Judge0Batch batch = getJudge0Batch(tokens, request.query("base64_encoded").orElse(null), request.query("fields").orElse(null));
            ArrayNode list = JsonNodeFactory.instance.arrayNode();
            batch.getSubmissions().forEach(s -> list.add(s == null ? JsonNodeFactory.instance.nullNode() : wanted.select(tree(s))));
            return json(200, Map.of("submissions", list));
        }));
        router.add("POST", "/judge0/submissions", SUBMITTERS, request -> answer(request, () -> {
            String fields = request.query("fields").orElse(null);
            Judge0Fields wanted = "true".equals(request.query("wait").orElse(null)) ? Judge0Fields.parse(fields) : Judge0Fields.TOKEN;
            Judge0Submission created = createJudge0Submission(submission(readObject(request)),
                    request.query("base64_encoded").orElse(null), request.query("wait").orElse(null), fields);
            return json(201, wanted.select(tree(created)));
        }));
        router.add("GET", "/judge0/submissions/{token}", READERS, request -> answer(request, () -> {
            String fields = request.query("fields").orElse(null);
            Judge0Submission submission = getJudge0Submission(request.pathParameter("token"),
                    request.query("base64_encoded").orElse(null), fields);
            return json(200, Judge0Fields.parse(fields).select(tree(submission)));
        }));
        router.add("GET", "/judge0/languages/all", READERS, request -> answer(request, () -> json(200, listAllJudge0Languages())));
        router.add("GET", "/judge0/languages", READERS, request -> answer(request, () -> json(200, listJudge0Languages())));
        router.add("GET", "/judge0/languages/{id}", READERS,
                request -> answer(request, () -> json(200, getJudge0Language(request.pathParameter("id")))));
        router.add("GET", "/judge0/statuses", READERS, request -> answer(request, () -> json(200, listJudge0Statuses())));
        router.add("GET", "/judge0/config_info", READERS, request -> answer(request, () -> json(200, getJudge0Config())));
        router.add("GET", "/judge0/about", READERS, request -> answer(request, () -> json(200, getJudge0About())));
    }

    private static boolean flag(Request request, String name) {
        return "true".equals(request.query(name).orElse(null));
    }

    /** The body, a JSON object, read by the api's reader (size, UTF-8, strict syntax), not yet as a model. */
    private JsonNode readObject(Request request) {
        JsonNode node = body.read(request.exchange(), JsonNode.class);
        if (!node.isObject()) {
            throw Judge0Refusal.badRequest("the body must be a JSON object");
        }
        return node;
    }

    /** A submission's attributes as Judge0 reads them; one of the wrong type is refused as Rails' numericality refuses it. */
    Judge0SubmissionRequest submission(JsonNode node) {
        try {
            return lenient.treeToValue(node, Judge0SubmissionRequest.class);
        } catch (MismatchedInputException e) {
            String field = e.getPath().isEmpty() ? "base" : e.getPath().getFirst().getFieldName();
            throw Judge0Refusal.invalid(Map.of(field == null ? "base" : field,
                    List.of(Number.class.isAssignableFrom(e.getTargetType()) ? "is not a number" : "is invalid")));
        } catch (JsonProcessingException e) {
            throw Judge0Refusal.invalid(Map.of("base", List.of("is invalid: " + e.getOriginalMessage())));
        }
    }

    /** The items of {@code {"submissions": [...]}}; a body without them has none. */
    private List<Item> items(JsonNode body) {
        JsonNode list = body.path("submissions");
        List<Item> items = new ArrayList<>();
        if (!list.isArray()) {
            return items;
        }
        for (JsonNode node : list) {
            try {
                if (!node.isObject()) {
                    throw Judge0Refusal.invalid(Map.of("base", List.of("is not an object")));
                }
                items.add(new Item.Read(submission(node)));
            } catch (Judge0Refusal refused) {
                items.add(new Item.Unreadable(refused.errors().orElseThrow(() -> refused)));
            }
        }
        return items;
    }

    private static Optional<UUID> token(String raw) {
        try {
            return Optional.of(UUID.fromString(raw));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** A Crucible call; its refusals of the request become Judge0's, named by Judge0's attributes ({@code prefix} stripped). */
    private static <T> T crucible(Supplier<T> call, String prefix) {
        try {
            return call.get();
        } catch (ApiException.InvalidRequest e) {
            Map<String, List<String>> errors = new LinkedHashMap<>();
            e.errors().forEach(error -> errors.computeIfAbsent(judge0Field(error.getField().substring(prefix.length())),
                    _ -> new ArrayList<>()).add(error.getMessage()));
            throw Judge0Refusal.invalid(errors);
        } catch (ApiException.InvalidCallbackUrl e) {
            throw Judge0Refusal.invalid(Map.of("callback_url", List.of(e.getMessage())));
        }
    }

    /** The Judge0 attribute a field of Crucible's request comes from; "base", Rails' name for the record as a whole, else. */
    static String judge0Field(String crucibleField) {
        return JUDGE0_FIELDS.stream().filter(field -> crucibleField.startsWith(field.getKey())).map(Map.Entry::getValue)
                .findFirst().orElse("base");
    }

    private JsonNode tree(Judge0Submission submission) {
        return writer.valueToTree(submission);
    }

    private Response json(int status, Object value) {
        try {
            return new Response(status, new Response.Text(writer.writeValueAsString(value), "application/json"));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a Judge0 answer of " + value.getClass().getSimpleName(), e);
        }
    }

    /** The route's answer, or its failure as Judge0 words it: Judge0's own refusals, and Crucible's in Judge0's shape. */
    private Response answer(Request request, Supplier<Response> route) {
        try {
            return route.get();
        } catch (Judge0Refusal refused) {
            return json(refused.status(), refused.body());
        } catch (ApiException e) {
            if (e.status() >= 500) {
                log.warn("{} {}: {}", request.exchange().getRequestMethod(), request.exchange().getRequestURI().getRawPath(),
                        e.getMessage(), e.getCause());
            }
            e.retryAfterHeader().ifPresent(seconds -> request.exchange().getResponseHeaders().set("Retry-After", seconds));
            return switch (e) {
                case ApiException.InvalidRequest invalid -> json(422, Map.of("base", invalid.errors().stream()
                        .map(error -> error.getField() + " " + error.getMessage()).collect(Collectors.toList())));
                // Judge0's own words for a full queue.
                case ApiException.QueueFull _ -> json(503, new Judge0Error("queue is full"));
                case ApiException.NotFound _ -> json(404, new Judge0Error("Not Found").status(404));
                default -> json(e.status(), new Judge0Error(e.getMessage()));
            };
        }
    }
}
