package dev.crucible.api.submission;

import dev.crucible.api.auth.Caller;
import dev.crucible.api.generated.SubmissionsApi;
import dev.crucible.api.http.ApiException;
import dev.crucible.api.http.JsonBody;
import dev.crucible.api.http.Response;
import dev.crucible.api.http.Router;
import dev.crucible.api.model.FieldError;
import dev.crucible.api.model.Submission;
import dev.crucible.api.model.SubmissionRequest;
import dev.crucible.api.model.SubmissionStatus;
import java.util.List;
import java.util.UUID;

/** {@code /v1/submissions}: the generated interface, and its routes. */
public final class SubmissionsResource implements SubmissionsApi {
    private final SubmissionService service;
    private final JsonBody body;

    public SubmissionsResource(SubmissionService service, JsonBody body) {
        this.service = service;
        this.body = body;
    }

    @Override
    public Submission createSubmission(SubmissionRequest request, Boolean wait, String idempotencyKey) {
        Caller caller = Caller.requiring(Caller.Role.ADMIN, Caller.Role.SUBMITTER);
        if (idempotencyKey != null && !idempotencyKey.matches("[\\x21-\\x7e]{1,255}")) {
            throw new ApiException.InvalidRequest(List.of(new FieldError("Idempotency-Key", "must be 1..255 printable ASCII characters")));
        }
        return SubmissionView.of(service.create(caller, request, Boolean.TRUE.equals(wait), idempotencyKey));
    }

    @Override
    public Submission getSubmission(UUID id) {
        return SubmissionView.of(service.get(Caller.current(), id));
    }

    @Override
    public Submission cancelSubmission(UUID id) {
        Caller caller = Caller.requiring(Caller.Role.ADMIN, Caller.Role.SUBMITTER);
        return SubmissionView.of(service.cancel(caller, id));
    }

    public void addRoutes(Router router) {
        router.add("POST", "/v1/submissions", Router.Access.KEY, request -> {
            Caller.requiring(Caller.Role.ADMIN, Caller.Role.SUBMITTER);
            boolean wait = switch (request.query("wait").orElse("false")) {
                case "true" -> true;
                case "false" -> false;
                default -> throw new ApiException.InvalidRequest(List.of(new FieldError("wait", "must be true or false")));
            };
            Submission submission = createSubmission(body.read(request.exchange(), SubmissionRequest.class), wait,
                    request.exchange().getRequestHeaders().getFirst("Idempotency-Key"));
            return new Response(wait && submission.getStatus() == SubmissionStatus.COMPLETED ? 200 : 202, submission);
        });
        router.add("GET", "/v1/submissions/{id}", Router.Access.KEY,
                request -> Response.ok(getSubmission(id(request.pathParameter("id")))));
        router.add("DELETE", "/v1/submissions/{id}", Router.Access.KEY,
                request -> Response.ok(cancelSubmission(id(request.pathParameter("id")))));
    }

    private static UUID id(String raw) {
        try {
            return UUID.fromString(raw);
        } catch (IllegalArgumentException e) {
            throw new ApiException.NotFound("no submission " + raw + " for this API key");
        }
    }
}
