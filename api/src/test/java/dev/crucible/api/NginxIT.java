package dev.crucible.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The public entry: the real nginx that {@code ./crucible test} started, in front of the real api,
 * reached over HTTPS on loopback. The launcher's certificate is the only one trusted; verification
 * stays on.
 *
 * <p>The burst against the submit tier runs last: it leaves this address's submit allowance spent
 * for some seconds, and the event-stream test submits through nginx too.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NginxIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The headers nginx adds to every answer, with the value each must have. */
    private static final Map<String, String> SECURITY_HEADERS = Map.of(
            "strict-transport-security", "max-age=63072000",
            "x-content-type-options", "nosniff",
            "x-frame-options", "DENY",
            "referrer-policy", "no-referrer",
            "cross-origin-opener-policy", "same-origin");

    private final URI web = URI.create(StackUnderTest.variable("CRUCIBLE_TEST_WEB_URL"));
    private final URI plain = URI.create(StackUnderTest.variable("CRUCIBLE_TEST_HTTP_URL"));
    private final Path conf = Path.of(StackUnderTest.variable("CRUCIBLE_TEST_NGINX_CONF"));
    private final Path cert = Path.of(StackUnderTest.variable("CRUCIBLE_TEST_TLS_CERT"));
    private final String adminKey = StackUnderTest.variable("CRUCIBLE_TEST_ADMIN_KEY");
    private final SSLContext tls = trusting(cert);
    private final HttpClient https = HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    /** A TLS context that trusts exactly the certificates in the launcher's certificate file. */
    private static SSLContext trusting(Path pem) {
        try (InputStream in = Files.newInputStream(pem)) {
            KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
            anchors.load(null, null);
            int n = 0;
            for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                anchors.setCertificateEntry("crucible-" + n++, certificate);
            }
            assertTrue(n > 0, "no certificate in " + pem);
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(anchors);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (Exception e) {
            throw new AssertionError("cannot load the certificate " + pem + ": " + e, e);
        }
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return https.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError("request failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private HttpResponse<String> get(String path, String key) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(web + path)).GET();
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        return send(request);
    }

    private HttpResponse<String> postJson(String path, String body, String key) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(web + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        return send(request);
    }

    /** Runs a command (only local tools against loopback); its exit status and its output. */
    private static Map.Entry<Integer, String> run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        Thread reader = Thread.ofVirtual().start(() -> {
            try (InputStream in = process.getInputStream()) {
                in.transferTo(output);
            } catch (IOException ignored) {
                // the process is gone; what was read is kept
            }
        });
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish within 20 s");
        }
        reader.join(5000);
        return Map.entry(process.exitValue(), output.toString());
    }

    @Test
    @Order(1)
    void renderedConfigurationPassesNginxTest() throws Exception {
        var result = run("nginx", "-e", "stderr", "-p", conf.getParent() + "/", "-t", "-c", conf.toString());
        assertEquals(0, result.getKey(), result.getValue());
        assertTrue(result.getValue().contains("test is successful"), result.getValue());
    }

    @Test
    @Order(2)
    void plainHttpRedirectsToHttpsKeepingPathAndQuery() throws Exception {
        String pathAndQuery = "/some/where?x=1&y=two%20words";
        HttpResponse<String> answer = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build()
                .send(HttpRequest.newBuilder(URI.create(plain + pathAndQuery)).timeout(Duration.ofSeconds(10)).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
        assertEquals(301, answer.statusCode());
        assertEquals(web + pathAndQuery, answer.headers().firstValue("Location").orElse(null));
    }

    @Test
    @Order(2)
    void plainHttpRedirectsAForeignHostToTheFirstServerName() throws Exception {
        var serverName = Pattern.compile("(?m)^\\s*server_name\\s+([^\\s;]+)").matcher(Files.readString(conf));
        assertTrue(serverName.find(), "no server_name in " + conf);
        String expected = "https://" + serverName.group(1) + (web.getPort() == 443 ? "" : ":" + web.getPort()) + "/some/where?x=1";
        // HttpClient does not let a caller set Host: the request goes raw.
        try (java.net.Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(plain.getHost(), plain.getPort()), 5000);
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write("GET /some/where?x=1 HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertTrue(answer.startsWith("HTTP/1.1 301 "), answer);
            var location = Pattern.compile("(?im)^location: *(\\S+)\\r?$").matcher(answer);
            assertTrue(location.find(), "no Location in: " + answer);
            assertEquals(expected, location.group(1));
        }
    }

    private static void assertSecurityHeaders(String what, HttpHeaders headers) {
        SECURITY_HEADERS.forEach((name, value) ->
                assertEquals(List.of(value), headers.allValues(name), what + ": " + name + " once, with this value"));
        List<String> csp = headers.allValues("content-security-policy");
        assertEquals(1, csp.size(), what + ": one Content-Security-Policy");
        for (String directive : List.of("default-src 'self'", "frame-ancestors 'none'", "base-uri 'none'", "script-src 'self'")) {
            assertTrue(csp.getFirst().contains(directive), what + ": CSP has " + directive + ": " + csp);
        }
        List<String> permissions = headers.allValues("permissions-policy");
        assertEquals(1, permissions.size(), what + ": one Permissions-Policy");
        assertTrue(permissions.getFirst().contains("camera=()"), what + ": " + permissions);
        assertTrue(headers.firstValue("server").map(s -> !s.matches(".*\\d.*")).orElse(true), what + ": no version in Server");
    }

    @Test
    @Order(3)
    void securityHeadersOnThePageTheApiAndErrors() {
        HttpResponse<String> page = get("/", null);
        assertEquals(200, page.statusCode());
        assertTrue(page.headers().firstValue("content-type").orElse("").startsWith("text/html"), "the page is HTML");
        assertEquals("no-cache", page.headers().firstValue("cache-control").orElse(null), "index.html is revalidated");
        assertSecurityHeaders("the page", page.headers());

        HttpResponse<String> runtimes = get("/v1/runtimes", adminKey);
        assertEquals(200, runtimes.statusCode(), runtimes.body());
        assertEquals(List.of("no-store"), runtimes.headers().allValues("cache-control"), "the api's own Cache-Control passes");
        assertSecurityHeaders("an api answer", runtimes.headers());

        HttpResponse<String> apiMissing = get("/v1/nothing-here", adminKey);
        assertEquals(404, apiMissing.statusCode());
        assertSecurityHeaders("a 404 of the api", apiMissing.headers());

        HttpResponse<String> unauthorized = get("/v1/runtimes", null);
        assertEquals(401, unauthorized.statusCode());
        assertSecurityHeaders("a 401 of the api", unauthorized.headers());

        HttpResponse<String> nginxMissing = get("/assets/no-such-file.js", null);
        assertEquals(404, nginxMissing.statusCode());
        assertSecurityHeaders("a 404 of nginx", nginxMissing.headers());
    }

    @Test
    @Order(3)
    void theContractAndTheApiReferenceAreServedBesideThePage() throws IOException {
        // The build writes both files from openapi.yaml; what is served is that contract, not a stale copy.
        String contract = Files.readString(Path.of("..", "openapi.yaml"));
        HttpResponse<String> yaml = get("/openapi.yaml", null);
        assertEquals(200, yaml.statusCode());
        assertEquals("application/yaml; charset=utf-8", yaml.headers().firstValue("content-type").orElse(null));
        assertEquals(contract, yaml.body());
        assertSecurityHeaders("/openapi.yaml", yaml.headers());

        HttpResponse<String> json = get("/openapi.json", null);
        assertEquals(200, json.statusCode());
        assertEquals("application/json; charset=utf-8", json.headers().firstValue("content-type").orElse(null));
        assertEquals(new ObjectMapper(new YAMLFactory()).readTree(contract),
                JSON.readTree(json.body()), "/openapi.json is openapi.yaml as JSON");

        HttpResponse<String> docs = get("/docs", null);
        assertEquals(200, docs.statusCode());
        assertTrue(docs.headers().firstValue("content-type").orElse("").startsWith("text/html"), "/docs is HTML");
        assertTrue(docs.body().contains("id=\"swagger-ui\""), "/docs is the API reference, not the page: " + docs.body());
        assertSecurityHeaders("/docs", docs.headers());
        var script = Pattern.compile("<script type=\"module\"[^>]* src=\"(/assets/[^\"]+\\.js)\"").matcher(docs.body());
        assertTrue(script.find(), "/docs loads its script from /assets/: " + docs.body());
        HttpResponse<String> bundle = get(script.group(1), null);
        assertEquals(200, bundle.statusCode(), script.group(1));
        assertTrue(bundle.body().contains("swagger"), "the API reference's bundle is Swagger UI");

        // Only GET, like the page; POST of the contract is no way into anything.
        assertEquals(403, send(HttpRequest.newBuilder(URI.create(web + "/openapi.json"))
                .POST(HttpRequest.BodyPublishers.ofString("{}"))).statusCode());
    }

    @Test
    @Order(3)
    void pistonRoutesReachTheApiBesideThePage() {
        HttpResponse<String> runtimes = get("/api/v2/runtimes", adminKey);
        assertEquals(200, runtimes.statusCode(), runtimes.body());
        assertTrue(runtimes.body().contains("\"language\":\"python\""), runtimes.body());
        assertEquals(List.of("no-store"), runtimes.headers().allValues("cache-control"), "the api's own Cache-Control passes");
        assertEquals(401, get("/api/v2/runtimes", null).statusCode(), "the api answers, not the page");
        HttpResponse<String> page = get("/", null);
        assertTrue(page.headers().firstValue("content-type").orElse("").startsWith("text/html"), "the page is still the page");
    }

    @Test
    @Order(3)
    void judge0RoutesReachTheApiBesideThePage() {
        HttpResponse<String> about = send(HttpRequest.newBuilder(URI.create(web + "/judge0/about")).header("X-Auth-Token", adminKey).GET());
        assertEquals(200, about.statusCode(), about.body());
        assertTrue(about.body().contains("\"version\":\"1.13.1\""), about.body());
        assertEquals(List.of("no-store"), about.headers().allValues("cache-control"), "the api's own Cache-Control passes");
        assertSecurityHeaders("a Judge0 answer", about.headers());
        HttpResponse<String> refused = get("/judge0/languages", null);
        assertEquals(401, refused.statusCode(), "the api answers, not the page");
        assertEquals("", refused.body(), "Judge0's 401 has no body");
        assertSecurityHeaders("a Judge0 401", refused.headers());
        HttpResponse<String> page = get("/", null);
        assertTrue(page.headers().firstValue("content-type").orElse("").startsWith("text/html"), "the page is still the page");
    }

    private String handshake(String protocol) throws IOException {
        try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket(web.getHost(), web.getPort())) {
            socket.setSoTimeout(10_000);
            SSLParameters parameters = tls.getDefaultSSLParameters();
            parameters.setProtocols(new String[] {protocol});
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            socket.setSSLParameters(parameters);
            socket.startHandshake();
            return socket.getSession().getProtocol();
        }
    }

    @Test
    @Order(4)
    void tls12And13AcceptedTls11Refused() throws Exception {
        assertEquals("TLSv1.2", handshake("TLSv1.2"));
        assertEquals("TLSv1.3", handshake("TLSv1.3"));

        // The JDK will not offer TLS 1.1 at all (jdk.tls.disabledAlgorithms), so a refusal seen from
        // Java would prove nothing about nginx. OpenSSL still speaks it at security level 0: the
        // server must answer with a protocol_version alert, while the same probe with 1.2 succeeds.
        String connect = web.getHost() + ":" + web.getPort();
        var old = run("openssl", "s_client", "-connect", connect, "-tls1_1", "-cipher", "DEFAULT:@SECLEVEL=0",
                "-CAfile", cert.toString());
        assertNotEquals(0, old.getKey(), "TLS 1.1 must not be accepted: " + old.getValue());
        assertTrue(old.getValue().contains("alert protocol version"), "nginx should refuse TLS 1.1 itself: " + old.getValue());
        var current = run("openssl", "s_client", "-connect", connect, "-tls1_2", "-cipher", "DEFAULT:@SECLEVEL=0",
                "-CAfile", cert.toString());
        assertEquals(0, current.getKey(), "the same probe with TLS 1.2: " + current.getValue());
        assertTrue(current.getValue().contains("Verify return code: 0 (ok)"), current.getValue());
    }

    @Test
    @Order(5)
    void metricsAreNotReachableThroughNginx() {
        HttpResponse<String> metrics = get("/metrics", adminKey);
        assertEquals(404, metrics.statusCode(), metrics.body());
        assertSecurityHeaders("/metrics", metrics.headers());
        // Spellings that normalize to /metrics, or that only the api could answer: none reaches it
        // (other paths outside /v1/ may well answer 200 with the page).
        for (String path : List.of("/metrics", "/v1/../metrics", "/v1/%2e%2e/metrics", "/v1/..%2fmetrics", "/%6detrics",
                "/metrics/", "/v1/metrics", "//metrics")) {
            HttpResponse<String> answer = get(path, adminKey);
            assertFalse(answer.body().contains("# TYPE") || answer.body().contains("crucible_http_requests"),
                    path + " exposed the metrics: " + answer.statusCode());
        }
    }

    @Test
    @Order(6)
    void oversizedBodyIsRefusedByNginxWithAProblem() {
        String body = "{\"runtime\":\"python\",\"source\":\"" + "x".repeat((4 << 20) + 1) + "\"}";
        HttpResponse<String> answer = postJson("/v1/submissions", body, adminKey);
        assertEquals(413, answer.statusCode());
        assertTrue(answer.headers().firstValue("content-type").orElse("").startsWith("application/problem+json"));
        assertTrue(answer.body().contains("\"code\":\"payload_too_large\""), answer.body());
        assertSecurityHeaders("a 413 of nginx", answer.headers());
    }

    @Test
    @Order(6)
    void auditLogRecordsTheAddressNginxSawNotTheOneTheClientClaimed() throws IOException {
        // A documentation address (RFC 5737), only ever a header value: no traffic goes to it.
        String claimed = "203.0.113.9";
        HttpResponse<String> created = send(HttpRequest.newBuilder(URI.create(web + "/v1/keys"))
                .header("Authorization", "Bearer " + adminKey).header("Content-Type", "application/json")
                .header("X-Forwarded-For", claimed).header("X-Real-IP", claimed)
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"nginx-audit-it\",\"role\":\"submitter\"}")));
        assertEquals(201, created.statusCode(), created.body());
        String keyId = JSON.readTree(created.body()).get("id").asText();
        try {
            String recorded = Jdbi.create(StackUnderTest.variable("CRUCIBLE_TEST_DATABASE_URL"),
                            StackUnderTest.variable("CRUCIBLE_TEST_DATABASE_USER"), StackUnderTest.variable("CRUCIBLE_TEST_DATABASE_PASSWORD"))
                    .withHandle(h -> h.createQuery("select client_address from audit_log where action = 'key.create' and target like :t")
                            .bind("t", keyId + " %").mapTo(String.class).one());
            assertNotEquals(claimed, recorded);
            // nginx replaced the claimed headers with the address it saw this test connect from: loopback.
            assertTrue(InetAddress.ofLiteral(recorded).isLoopbackAddress(), recorded);
        } finally {
            send(HttpRequest.newBuilder(URI.create(web + "/v1/keys/" + keyId)).header("Authorization", "Bearer " + adminKey).DELETE());
        }
    }

    /** Submits through nginx; a 429 of an earlier burst (from this address) is waited out. */
    private String submitThroughNginx(String json) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            HttpResponse<String> answer = postJson("/v1/submissions", json, adminKey);
            if (answer.statusCode() != 429 || System.nanoTime() > deadline) {
                assertEquals(202, answer.statusCode(), answer.body());
                try {
                    return JSON.readTree(answer.body()).get("id").asText();
                } catch (IOException e) {
                    throw new AssertionError("not JSON: " + answer.body(), e);
                }
            }
            Thread.sleep(1000);
        }
    }

    private record Line(long atMillis, String text) {}

    // Both protocols: nginx behaves differently on each (buffering the upstream held a whole
    // HTTP/1.1 stream back, headers included, while HTTP/2 still flowed), and clients use both.
    @Test
    @Order(7)
    void eventsArriveOneByOneOverHttp2() throws Exception {
        assertEventsArriveOneByOne(HttpClient.Version.HTTP_2);
    }

    @Test
    @Order(8)
    void eventsArriveOneByOneOverHttp11() throws Exception {
        assertEventsArriveOneByOne(HttpClient.Version.HTTP_1_1);
    }

    private void assertEventsArriveOneByOne(HttpClient.Version version) throws Exception {
        // It prints, then keeps running for seconds: a buffering proxy would hold the first event
        // back until the stream ends.
        String id = submitThroughNginx("{\"runtime\":\"python\",\"source\":\"import time\\nprint('started', flush=True)\\n"
                + "time.sleep(3)\\nprint('done')\",\"limits\":{\"wall_time_ms\":15000}}");

        long opened = System.nanoTime();
        HttpResponse<Stream<String>> stream = https.send(HttpRequest.newBuilder(URI.create(web + "/v1/submissions/" + id + "/events"))
                .version(version).header("Authorization", "Bearer " + adminKey).header("Accept", "text/event-stream")
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofLines());
        assertEquals(200, stream.statusCode());
        assertEquals(version, stream.version());
        assertTrue(stream.headers().firstValue("content-type").orElse("").startsWith("text/event-stream"));
        assertSecurityHeaders("the event stream", stream.headers());

        // Lines are read on their own thread and stamped on arrival; the end of the stream is an empty Optional.
        BlockingQueue<Optional<Line>> lines = new LinkedBlockingQueue<>();
        Thread reader = Thread.ofVirtual().start(() -> {
            try (Stream<String> body = stream.body()) {
                body.forEach(text -> lines.add(Optional.of(new Line((System.nanoTime() - opened) / 1_000_000, text))));
            } catch (RuntimeException ignored) {
                // a broken stream ends like a closed one; the assertions below tell which events came
            } finally {
                lines.add(Optional.empty());
            }
        });
        try {
            List<Line> events = new ArrayList<>();   // the data: line of each submission event
            List<Line> output = new ArrayList<>();   // and of each output event
            List<String> ids = new ArrayList<>();
            String eventName = null;
            boolean ended = false;
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!ended) {
                var next = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (next == null) {
                    // Say whether the stack could have run it at all: without a live executor nothing changes.
                    throw new AssertionError("the stream neither ended nor sent anything within 60 s; events so far: " + events
                            + "; /v1/ready: " + get("/v1/ready", null).body());
                }
                if (next.isEmpty()) {
                    ended = true;
                    continue;
                }
                Line line = next.get();
                if (line.text().startsWith("event:")) {
                    eventName = line.text().substring(6).strip();
                } else if (line.text().startsWith("id:")) {
                    ids.add(line.text().substring(3).strip().split("\\.")[0]);
                } else if (line.text().startsWith("data:")) {
                    assertTrue(List.of("submission", "output").contains(eventName), "an event of a submission: " + eventName);
                    (eventName.equals("output") ? output : events).add(new Line(line.atMillis(), line.text().substring(5).strip()));
                }
            }

            assertTrue(events.size() >= 2, "the current state first, then at least the result: " + events);
            Line first = events.getFirst();
            Line last = events.getLast();
            assertTrue(first.atMillis() < 5000, "the first event should come promptly, came after " + first.atMillis() + " ms");
            JsonNode firstSubmission = JSON.readTree(first.text());
            assertEquals(id, firstSubmission.get("id").asText());
            assertNotEquals("completed", firstSubmission.get("status").asText(), "the program sleeps 3 s; it cannot be done yet");
            JsonNode result = JSON.readTree(last.text());
            assertEquals("completed", result.get("status").asText(), "the stream ends with the result");
            assertEquals("accepted", result.get("verdict").asText(), last.text());
            assertEquals("started\ndone\n", result.get("stdout").asText());
            assertTrue(last.atMillis() - first.atMillis() >= 1500,
                    "events must arrive as they happen, not all at the end: first at " + first.atMillis()
                            + " ms, last at " + last.atMillis() + " ms");
            Line started = output.stream().filter(o -> o.text().contains("started")).findFirst()
                    .orElseThrow(() -> new AssertionError("no output event with the first line: " + output));
            assertTrue(last.atMillis() - started.atMillis() >= 1500, "output must pass nginx as it is printed: the first line at "
                    + started.atMillis() + " ms, the result at " + last.atMillis() + " ms");
            List<String> counting = new ArrayList<>();
            for (int i = 1; i <= ids.size(); i++) {
                counting.add(Integer.toString(i));
            }
            assertEquals(counting, ids, "event ids count from 1 (before the live output's place)");
        } finally {
            reader.interrupt();
        }
    }

    @Test
    @Order(8)
    void aSessionsEventsPassWhileItLives() throws Exception {
        HttpResponse<String> created = postJson("/v1/sessions", "{\"runtime\":\"python\"}", adminKey);
        assertEquals(201, created.statusCode(), created.body());
        String id = JSON.readTree(created.body()).get("id").asText();
        try {
            HttpResponse<Stream<String>> stream = https.send(HttpRequest.newBuilder(URI.create(web + "/v1/sessions/" + id + "/events"))
                    .version(HttpClient.Version.HTTP_1_1).header("Authorization", "Bearer " + adminKey)
                    .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofLines());
            assertEquals(200, stream.statusCode());
            assertEquals("no", stream.headers().firstValue("x-accel-buffering").orElse(null));
            // The session lives for minutes: a buffering nginx would send nothing until it ends.
            CompletableFuture<String> firstData = CompletableFuture.supplyAsync(() -> {
                try (Stream<String> lines = stream.body()) {
                    return lines.filter(line -> line.startsWith("data:")).findFirst().orElse("");
                }
            });
            JsonNode first = JSON.readTree(firstData.get(30, TimeUnit.SECONDS).substring(5));
            assertEquals(id, first.get("id").asText());
            assertNotEquals("ended", first.get("status").asText(), first.toString());
        } finally {
            send(HttpRequest.newBuilder(URI.create(web + "/v1/sessions/" + id)).header("Authorization", "Bearer " + adminKey).DELETE());
        }
    }

    @Test
    @Order(9)
    void aSubmitBurstIsLimitedWhileReadingGoesOn() {
        // No key: whatever gets through, the api answers 401 without running or storing anything, so
        // every 429 here is nginx's submit tier (2 r/s, burst 20 by default), counted before the api.
        // Every other one is a Judge0 create, which is in the same tier: 40 requests are within the
        // api tier's burst, so a 429 of one of those is the submit tier's too.
        int limited = 0;
        int judge0Limited = 0;
        for (int i = 0; i < 40; i++) {
            String path = i % 2 == 0 ? "/v1/submissions" : "/judge0/submissions";
            HttpResponse<String> answer = postJson(path, "{}", null);
            if (answer.statusCode() == 429) {
                limited++;
                judge0Limited += path.startsWith("/judge0/") ? 1 : 0;
                assertTrue(answer.body().contains("\"code\":\"too_many_requests\""), answer.body());
                assertEquals("1", answer.headers().firstValue("retry-after").orElse(null));
                assertSecurityHeaders("a 429 of nginx", answer.headers());
            } else {
                assertEquals(401, answer.statusCode(), path + ": " + answer.body());
            }
        }
        assertTrue(limited > 0, "40 submits at once from one address should meet the submit limit");
        assertTrue(limited < 40, "the burst allowance should let the first ones through");
        assertTrue(judge0Limited > 0, "POST /judge0/submissions counts against the submit tier");

        // Reading is another tier: it still answers, the listing too (same path, but only POST
        // counts against the submit tier).
        HttpResponse<String> runtimes = get("/v1/runtimes", adminKey);
        assertEquals(200, runtimes.statusCode(), runtimes.body());
        HttpResponse<String> listing = get("/v1/submissions?limit=1", adminKey);
        assertEquals(200, listing.statusCode(), listing.body());
        HttpResponse<String> languages = get("/judge0/languages", adminKey);
        assertEquals(200, languages.statusCode(), "reading Judge0's routes is not a submit: " + languages.body());
        System.out.println("NginxIT: " + limited + " of 40 submits at once were answered 429 by nginx");
    }
}
