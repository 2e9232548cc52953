package dev.crucible.executor.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Real requests against the real HAProxy: what the executor does not need is refused. */
class DockerProxyIT {
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    private static int status(String method, String path) throws Exception {
        URI proxy = URI.create(DockerSandboxIT.variable("CRUCIBLE_TEST_DOCKER_HOST").replace("tcp://", "http://"));
        HttpRequest request = HttpRequest.newBuilder(proxy.resolve(path)).timeout(Duration.ofSeconds(10))
                .method(method, HttpRequest.BodyPublishers.noBody()).build();
        return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @ParameterizedTest(name = "{0} {1} is refused")
    @CsvSource({
        "GET, /info",
        "GET, /v1.41/version",
        "POST, /v1.41/images/create?fromImage=alpine",
        "POST, /build",
        "GET, /images/json",
        "POST, /exec/abc/resize",
        "POST, /v1.41/containers/abc/exec/start",
        "GET, /volumes",
        "POST, /networks/create",
        "GET, /swarm",
        "POST, /containers/prune",
        "POST, /v1.41/containers/abc/update",
        "GET, /containers/abc/export",
        "POST, /v1.41/containers/..%2Fimages/start",
        "DELETE, /images/abc",
        "GET, /v1.41/containers/abc/logs",
        "POST, /v1.41/containers/crucible-run1/rename?name=crucible-run2",
        "POST, /v1.41/containers/abc/rename?name=crucible-run2",
        "POST, /v1.41/containers/crucible-pool-abc/rename?name=crucible-pool-def",
        "POST, /v1.41/containers/crucible-pool-abc/rename?name=evil",
        "POST, /v1.41/containers/crucible-pool-abc/rename?name=crucible-run&name=evil",
        "POST, /v1.41/containers/crucible-session-abc/rename?name=crucible-session-def",
        "POST, /v1.41/containers/crucible-session-abc/rename?name=crucible-pool-abc",
        "GET, /v1.41/containers/crucible-session-abc/archive?path=/workspace",
        "POST, /v1.41/containers/crucible-session-abc/attach?stdin=1",
    })
    void refusesWhatTheExecutorDoesNotUse(String method, String path) throws Exception {
        assertEquals(403, status(method, path));
    }

    /** Connects to the proxy as another local user; true when the connection was accepted. */
    private static boolean reachableAs(String user) throws Exception {
        URI proxy = URI.create(DockerSandboxIT.variable("CRUCIBLE_TEST_DOCKER_HOST"));
        Process probe = new ProcessBuilder("runuser", "-u", user, "--", "bash", "-c",
                "exec 3<>/dev/tcp/" + proxy.getHost() + "/" + proxy.getPort()).redirectErrorStream(true).start();
        if (!probe.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
            probe.destroyForcibly();
            throw new AssertionError("the connection probe as " + user + " did not finish");
        }
        return probe.exitValue() == 0;
    }

    @Test
    void otherLocalUsersCannotReachTheProxy() throws Exception {
        assertFalse(reachableAs("crucible"), "the api's user must not reach Docker");
        assertFalse(reachableAs("nobody"));
    }

    @Test
    void theExecutorsUserReachesTheProxy() throws Exception {
        assertTrue(reachableAs("crucible-executor"));
    }

    @ParameterizedTest(name = "{0} {1} passes")
    @CsvSource({
        "GET, /_ping",
        "GET, /v1.41/_ping",
        "GET, /v1.41/containers/json",
    })
    void letsThroughWhatTheExecutorUses(String method, String path) throws Exception {
        assertEquals(200, status(method, path));
    }

    /** Only the rename a run makes of the idle pool sandbox it takes passes: Docker answers, here that there is none. */
    @Test
    void letsARenameFromAPoolNameToARunNameThrough() throws Exception {
        assertEquals(404, status("POST", "/v1.41/containers/crucible-pool-nonexistent/rename?name=crucible-run-1"));
    }

    /** What the proxy answers to {@code bytes} sent raw, then the end of sending: at most 256 bytes, empty if it just closed. */
    private static byte[] rawAnswer(byte[] bytes) throws Exception {
        URI proxy = URI.create(DockerSandboxIT.variable("CRUCIBLE_TEST_DOCKER_HOST"));
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(proxy.getHost(), proxy.getPort()), 5000);
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(bytes);
            socket.getOutputStream().flush();
            socket.shutdownOutput();
            return socket.getInputStream().readNBytes(256);
        }
    }

    @Test
    void refusesHttp2WithoutTls() throws Exception {
        // The client preface of prior-knowledge h2c, then an empty SETTINGS frame.
        byte[] preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] settings = {0, 0, 0, 4, 0, 0, 0, 0, 0};
        byte[] answer = rawAnswer(ByteBuffer.allocate(preface.length + settings.length).put(preface).put(settings).array());
        String text = new String(answer, StandardCharsets.ISO_8859_1);
        // An HTTP/2 server's first frame is its SETTINGS (type 4): an HTTP/1 refusal, or a bare close, is what must come.
        assertTrue(answer.length == 0 || text.matches("(?s)HTTP/1\\.[01] 4\\d\\d .*"), "the proxy answered HTTP/2's preface with: " + text);
    }

    @Test
    void refusesHttp10() throws Exception {
        String text = new String(rawAnswer("GET /_ping HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII)), StandardCharsets.ISO_8859_1);
        assertTrue(text.matches("(?s)HTTP/1\\.[01] 400 .*"), "the proxy answered HTTP/1.0 with: " + text);
    }
}
