package dev.crucible.sdk;

import static dev.crucible.testsupport.StackVariables.variable;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crucible.sdk.api.RuntimesApi;
import dev.crucible.sdk.api.SubmissionsApi;
import dev.crucible.sdk.model.Command;
import dev.crucible.sdk.model.Runtime;
import dev.crucible.sdk.model.SessionStatus;
import dev.crucible.sdk.model.Submission;
import dev.crucible.sdk.model.SubmissionRequest;
import dev.crucible.sdk.model.SubmissionStatus;
import dev.crucible.sdk.model.TestCase;
import dev.crucible.sdk.model.Verdict;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Java SDK, generated and facade, driving the running stack, the way docs/api.md (SDKs) shows it. */
class SdkIT {
    private static ApiClient client(String key) {
        ApiClient client = new ApiClient(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)),
                new ObjectMapper().findAndRegisterModules(), variable("CRUCIBLE_TEST_API_URL"));
        client.setReadTimeout(Duration.ofSeconds(60));
        client.setRequestInterceptor(request -> request.header("Authorization", "Bearer " + key));
        return client;
    }

    private final SubmissionsApi submissions = new SubmissionsApi(client(variable("CRUCIBLE_TEST_ADMIN_KEY")));

    @Test
    void submitsWaitsAndReadsTheVerdict() throws ApiException {
        Submission result = submissions.createSubmission(
                new SubmissionRequest().runtime("python").source("print(int(input()) * 2)").stdin("21\n"), true, null);

        assertEquals(SubmissionStatus.COMPLETED, result.getStatus());
        assertEquals(Verdict.ACCEPTED, result.getVerdict());
        assertEquals("42\n", result.getStdout());
    }

    @Test
    void testCasesComeBackWithVerdictsAndScore() throws ApiException {
        Submission result = submissions.createSubmission(new SubmissionRequest().runtime("python")
                .source("print(input()[::-1])")
                .tests(List.of(new TestCase().name("abc").stdin("abc").expectedOutput("cba"),
                        new TestCase().name("wrong").stdin("xy").expectedOutput("xy"))), true, null);

        assertEquals(Verdict.WRONG_ANSWER, result.getVerdict());
        assertEquals(1, result.getScore().getPassed());
        assertEquals(List.of(Verdict.ACCEPTED, Verdict.WRONG_ANSWER),
                result.getTests().stream().map(t -> t.getVerdict()).toList());
    }

    @Test
    void listsRuntimes() throws ApiException {
        List<String> names = new RuntimesApi(client(variable("CRUCIBLE_TEST_ADMIN_KEY"))).listRuntimes()
                .stream().map(Runtime::getName).toList();

        assertTrue(names.containsAll(List.of("python", "c", "java", "rust")), names.toString());
    }

    @Test
    void wrongKeyIsAnApiExceptionWithTheProblem() {
        SubmissionsApi stranger = new SubmissionsApi(client("cru_not-a-key"));

        ApiException refused = assertThrows(ApiException.class,
                () -> stranger.createSubmission(new SubmissionRequest().runtime("python").source("print(1)"), true, null));

        assertEquals(401, refused.getCode());
        assertTrue(refused.getResponseBody().contains("\"code\":\"unauthorized\""), refused.getResponseBody());
    }

    @Test
    void aSessionKeepsItsFilesAcrossCommandsUntilClosed() {
        try (Crucible crucible = Crucible.connect(URI.create(variable("CRUCIBLE_TEST_API_URL")),
                variable("CRUCIBLE_TEST_ADMIN_KEY"))) {
            CrucibleSession session = crucible.openSession("python");
            try {
                session.writeFile("in/numbers.txt", "3\n1\n2\n".getBytes(StandardCharsets.UTF_8));
                Command sorted = session.run("sh", "-c", "sort -n in/numbers.txt > sorted.txt && wc -l < sorted.txt");

                assertEquals(Verdict.ACCEPTED, sorted.getVerdict(), sorted.toString());
                assertEquals("3\n", sorted.getStdout());
                assertArrayEquals("1\n2\n3\n".getBytes(StandardCharsets.UTF_8), session.readFile("sorted.txt"));
            } finally {
                session.close();
            }
            assertEquals(SessionStatus.ENDED, session.get().getStatus());
        }
    }
}
