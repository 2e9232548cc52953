package dev.crucible.api.compat.piston;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crucible.api.ApiConfig;
import dev.crucible.api.auth.Caller;
import dev.crucible.api.generated.PistonApi;
import dev.crucible.api.http.Access;
import dev.crucible.api.http.ApiException;
import dev.crucible.api.http.Json;
import dev.crucible.api.http.JsonBody;
import dev.crucible.api.http.Request;
import dev.crucible.api.http.Response;
import dev.crucible.api.http.Router;
import dev.crucible.api.model.PistonError;
import dev.crucible.api.model.PistonExecuteRequest;
import dev.crucible.api.model.PistonExecuteResult;
import dev.crucible.api.model.PistonRuntime;
import dev.crucible.api.model.PistonStage;
import dev.crucible.api.model.Submission;
import dev.crucible.api.model.SubmissionStatus;
import dev.crucible.api.submission.SubmissionsResource;
import dev.crucible.api.webhook.CallbackFormat;
import dev.crucible.runtime.RuntimeCatalog;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /api/v2/runtimes} and {@code /api/v2/execute}, Piston's API, onto {@code POST /v1/submissions?wait=true}:
 * the same validation, quotas, queue and audit, only the shapes differ.
 */
public final class PistonResource implements PistonApi {
    private static final Logger log = LoggerFactory.getLogger(PistonResource.class);

    /** Piston sends {@code code: null, signal: null}; clients compare with null, so nulls are written here. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    private interface NullsWritten {}

    private final PistonLanguages languages;
    private final PistonRequests requests;
    private final SubmissionsResource submissions;
    private final JsonBody body;
    private final Optional<UUID> anonymousKeyId;
    private final ObjectMapper mapper = Json.mapper().addMixIn(PistonStage.class, NullsWritten.class);

    /**
     * @param body           the api's JSON reader; here it also takes {@code text/plain}, which the npm
     *                       {@code piston-client} sends its JSON as (node-fetch's default for a string body)
     * @param anonymousKeyId the key requests without credentials are made with, if the operator named one
     */
    public PistonResource(RuntimeCatalog catalog, ApiConfig.RunLimits limits, SubmissionsResource submissions, JsonBody body,
                          Optional<UUID> anonymousKeyId) {
        this.languages = new PistonLanguages(catalog);
        this.requests = new PistonRequests(limits);
        this.submissions = submissions;
        this.body = body.alsoAccepting("text/plain");
        this.anonymousKeyId = anonymousKeyId;
    }

    @Override
    public List<PistonRuntime> listPistonRuntimes() {
        return languages.runtimes();
    }

    @Override
    public PistonExecuteResult pistonExecute(PistonExecuteRequest request) {
        if (request.getLanguage() == null) {
            throw PistonRequests.refused("language", "is required as a string");
        }
        if (request.getVersion() == null) {
            throw PistonRequests.refused("version", "is required as a string");
        }
        PistonLanguages.Entry runtime = languages.resolve(request.getLanguage(), request.getVersion())
                .orElseThrow(() -> PistonRequests.refused("language",
                        request.getLanguage() + "-" + request.getVersion() + " runtime is unknown; GET /api/v2/runtimes lists them"));
        Submission submission = submissions.createSubmission(requests.toSubmission(request, runtime.manifest()), true, CallbackFormat.CRUCIBLE);
        if (submission.getStatus() != SubmissionStatus.COMPLETED) {
            throw new ApiException.ServiceUnavailable("submission " + submission.getId() + " is " + submission.getStatus()
                    + " after the longest wait this server allows; GET /v1/submissions/" + submission.getId() + " has its result",
                    (Throwable) null);
        }
        return PistonResults.of(submission, runtime.language(), runtime.manifest().version(), runtime.manifest().compiled());
    }

    public void addRoutes(Router router) {
        router.add("GET", "/api/v2/runtimes", Access.anyKey().orAnonymousAs(anonymousKeyId),
                request -> answer(request, this::listPistonRuntimes));
        router.add("POST", "/api/v2/execute", Access.roles(Caller.Role.ADMIN, Caller.Role.SUBMITTER).orAnonymousAs(anonymousKeyId),
                request -> answer(request, () -> pistonExecute(body.read(request.exchange(), PistonExecuteRequest.class))));
    }

    /** The value as JSON, or the failure as Piston words it: {@code {"message": "..."}}, 400 for whatever is the request's fault. */
    private Response answer(Request request, Supplier<Object> route) {
        Object value;
        int status = 200;
        try {
            value = route.get();
        } catch (ApiException e) {
            if (e.status() >= 500) {
                log.warn("{} {}: {}", request.exchange().getRequestMethod(), request.exchange().getRequestURI().getRawPath(),
                        e.getMessage(), e.getCause());
            }
            e.retryAfterHeader().ifPresent(seconds -> request.exchange().getResponseHeaders().set("Retry-After", seconds));
            status = e.status() == 422 ? 400 : e.status();
            value = new PistonError(message(e));
        }
        return new Response(status, new Response.Text(json(value), "application/json"));
    }

    String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a Piston answer of " + value.getClass().getSimpleName(), e);
        }
    }

    /** Piston's messages name the field first: {@code run_timeout cannot exceed the configured limit of 3000}. */
    static String message(ApiException e) {
        return e.errors().isEmpty() ? e.getMessage()
                : e.errors().stream().map(error -> error.getField() + " " + error.getMessage()).collect(Collectors.joining("; "));
    }
}
