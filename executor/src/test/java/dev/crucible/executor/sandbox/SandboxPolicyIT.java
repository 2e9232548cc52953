package dev.crucible.executor.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crucible.runtime.RuntimeCatalog;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Container creates sent to the real HAProxy in front of the real dockerd: the body docker-java
 * sends for a sandbox passes; every variant that is not the hardened sandbox, in every spelling
 * Docker's JSON decoder would accept, gets 403 before it reaches the daemon.
 */
class SandboxPolicyIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    private static final URI PROXY = URI.create(DockerSandboxIT.variable("CRUCIBLE_TEST_DOCKER_HOST").replace("tcp://", "http://"));

    /** The create body docker-java sends for a sandbox (captured from DockerSandbox), with a real image. */
    private static String allowedBody() {
        try (InputStream in = SandboxPolicyIT.class.getResourceAsStream("/allowed-create.json")) {
            String image = RuntimeCatalog.load(Path.of(DockerSandboxIT.variable("CRUCIBLE_TEST_RUNTIMES_DIR")))
                    .find("python").orElseThrow().image().tag();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("IMAGE", image)
                    .replace("\"RUN\"", "\"" + UUID.randomUUID() + "\"");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static HttpResponse<String> create(String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(PROXY.resolve(path)).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void remove(String id) throws Exception {
        HTTP.send(HttpRequest.newBuilder(PROXY.resolve("/v1.41/containers/" + id + "?force=true"))
                .timeout(Duration.ofSeconds(20)).DELETE().build(), HttpResponse.BodyHandlers.discarding());
    }

    @Test
    void theSandboxCreatePasses() throws Exception {
        HttpResponse<String> response = create("/v1.41/containers/create", allowedBody());
        assertEquals(201, response.statusCode(), response.body());
        remove(JSON.readTree(response.body()).get("Id").asText());
    }

    @Test
    void argumentsWithControlCharactersPass() throws Exception {
        HttpResponse<String> response = create("/v1.41/containers/create",
                allowedBody().replace("\"main.py\"", "\"main.py\",\"\u007f\\u0000\\t\\\"\u00e9\""));
        assertEquals(201, response.statusCode(), response.body());
        remove(JSON.readTree(response.body()).get("Id").asText());
    }

    private static Arguments tree(String name, Consumer<ObjectNode> change) {
        UnaryOperator<String> edit = body -> {
            try {
                ObjectNode root = (ObjectNode) JSON.readTree(body);
                change.accept(root);
                return JSON.writeValueAsString(root);
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        };
        return Arguments.of(name, edit);
    }

    private static Arguments text(String name, UnaryOperator<String> edit) {
        return Arguments.of(name, edit);
    }

    private static ObjectNode host(ObjectNode root) {
        return (ObjectNode) root.get("HostConfig");
    }

    static Stream<Arguments> forbiddenCreates() {
        return Stream.of(
                tree("runtime runc", r -> host(r).put("Runtime", "runc")),
                tree("no runtime", r -> host(r).remove("Runtime")),
                tree("privileged", r -> host(r).put("Privileged", true)),
                tree("host bind", r -> host(r).putArray("Binds").add("/:/host")),
                tree("bind mount", r -> host(r).putArray("Mounts").addObject().put("Type", "bind").put("Source", "/").put("Target", "/host")),
                tree("host network", r -> host(r).put("NetworkMode", "host")),
                tree("bridge network", r -> host(r).put("NetworkMode", "bridge")),
                tree("no network mode", r -> host(r).remove("NetworkMode")),
                tree("host pid", r -> host(r).put("PidMode", "host")),
                tree("host ipc", r -> host(r).put("IpcMode", "host")),
                tree("host uts", r -> host(r).put("UTSMode", "host")),
                tree("host userns", r -> host(r).put("UsernsMode", "host")),
                tree("added capability", r -> host(r).putArray("CapAdd").add("SYS_ADMIN")),
                tree("capabilities kept", r -> host(r).putArray("CapDrop").add("NET_RAW")),
                tree("device", r -> host(r).putArray("Devices").addObject().put("PathOnHost", "/dev/kmsg").put("PathInContainer", "/dev/kmsg").put("CgroupPermissions", "rwm")),
                tree("unconfined seccomp", r -> host(r).putArray("SecurityOpt").add("no-new-privileges").add("seccomp=unconfined")),
                tree("unconfined apparmor", r -> host(r).putArray("SecurityOpt").add("no-new-privileges").add("apparmor=unconfined")),
                tree("new privileges allowed", r -> host(r).putArray("SecurityOpt")),
                tree("no memory limit", r -> host(r).remove("Memory")),
                tree("zero memory", r -> host(r).put("Memory", 0)),
                tree("swap", r -> host(r).put("MemorySwap", -1)),
                tree("no pids limit", r -> host(r).remove("PidsLimit")),
                tree("no nproc ulimit", r -> host(r).putArray("Ulimits")),
                tree("nproc lifted by a second entry", r -> ((com.fasterxml.jackson.databind.node.ArrayNode) host(r).get("Ulimits"))
                        .addObject().put("Name", "nproc").put("Soft", 1_000_000).put("Hard", 1_000_000)),
                tree("executable tmp", r -> host(r).putObject("Tmpfs").put("/tmp", "rw,exec,suid,size=1,size=99999999999")),
                tree("many cpus", r -> host(r).put("NanoCpus", 64_000_000_000L)),
                tree("unmasked /proc", r -> host(r).putArray("MaskedPaths")),
                tree("writable /proc/sys", r -> host(r).putArray("ReadonlyPaths")),
                tree("sysctls", r -> host(r).putObject("Sysctls").put("kernel.shmmax", "1")),
                tree("logs kept on the host", r -> host(r).putObject("LogConfig").put("Type", "json-file")),
                tree("root user", r -> r.put("User", "0:0")),
                tree("named user", r -> r.put("User", "root")),
                tree("foreign image", r -> r.put("Image", "alpine:latest")),
                tree("network enabled", r -> r.put("NetworkDisabled", false)),
                tree("no host config", r -> r.remove("HostConfig")),
                tree("unknown field", r -> r.put("Whatever", 1)),
                tree("privileged at the top level", r -> r.put("Privileged", true)),
                text("privileged in lower case", b -> b.replace("\"Privileged\":false", "\"privileged\":true")),
                text("duplicate key, case folded", b -> b.replace("\"Privileged\":false", "\"Privileged\":false,\"PRIVILEGED\":true")),
                text("escaped key", b -> b.replace("\"Privileged\":false", "\"Privil\\u0065ged\":true")),
                text("long-s key folding to Binds", b -> b.replace("\"Binds\":null", "\"Bind\\u017f\":[\"/:/host\"]")),
                text("duplicate HostConfig", b -> b.substring(0, b.length() - 1) + ",\"HostConfig\":{\"Privileged\":true}}"),
                text("trailing data", b -> b + "{\"HostConfig\":{\"Privileged\":true}}"),
                text("not json", b -> "{"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("forbiddenCreates")
    void refusesCreatesThatAreNotTheSandbox(String name, UnaryOperator<String> edit) throws Exception {
        HttpResponse<String> response = create("/v1.41/containers/create", edit.apply(allowedBody()));
        if (response.statusCode() == 201) {
            remove(JSON.readTree(response.body()).get("Id").asText());
        }
        assertEquals(403, response.statusCode(), name + " got through: " + response.body());
        assertTrue(response.body().startsWith("refused by the sandbox policy"), response.body());
    }

    @Test
    void refusesTheSandboxCreateOnAnOlderApiVersion() throws Exception {
        assertEquals(403, create("/v1.23/containers/create", allowedBody()).statusCode());
    }

    @Test
    void refusesABodyOnStart() throws Exception {
        assertEquals(403, create("/v1.41/containers/abc/start", "{\"Privileged\":true}").statusCode());
    }

    @Test
    void refusesAChunkedCreate() throws Exception {
        byte[] body = allowedBody().getBytes(StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(PROXY.resolve("/v1.41/containers/create")).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body))).build();
        assertEquals(403, HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode());
    }

    /** The exec body docker-java sends for the program (as DockerSandbox makes it). */
    private static final String ALLOWED_EXEC = """
            {"containerId":"abc","AttachStdin":false,"AttachStdout":true,"AttachStderr":true,"Tty":false,\
            "Privileged":false,"User":"65534:65534","Env":["HOME=/tmp"],"WorkingDir":"/workspace",\
            "Cmd":["/bin/sh","-c","exec \\"$@\\" < /io/stdin","sandbox","python3","main.py"]}""";

    static Stream<Arguments> forbiddenExecs() {
        return Stream.of(
                tree("root", r -> r.put("User", "0:0")),
                tree("another non-root user", r -> r.put("User", "1000:999")),
                tree("named user", r -> r.put("User", "root")),
                tree("no user (the image's, maybe root)", r -> r.remove("User")),
                tree("privileged", r -> r.put("Privileged", true)),
                tree("terminal", r -> r.put("Tty", true)),
                tree("stdin", r -> r.put("AttachStdin", true)),
                tree("detach keys", r -> r.put("DetachKeys", "ctrl-p")),
                tree("unknown field", r -> r.put("Whatever", 1)),
                tree("no command", r -> r.remove("Cmd")),
                text("privileged in another case", b -> b.replace("\"Privileged\":false", "\"PRIVILEGED\":true")));
    }

    private static ObjectNode execBody(UnaryOperator<String> edit) throws IOException {
        return (ObjectNode) JSON.readTree(edit.apply(ALLOWED_EXEC));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("forbiddenExecs")
    void refusesExecsThatAreNotTheUnprivilegedProgram(String name, UnaryOperator<String> edit) throws Exception {
        String body = name.equals("privileged in another case") ? edit.apply(ALLOWED_EXEC) : JSON.writeValueAsString(execBody(edit));
        HttpResponse<String> response = create("/v1.41/containers/crucible-abc/exec", body);
        assertEquals(403, response.statusCode(), name + " got through: " + response.body());
        assertTrue(response.body().startsWith("refused by the sandbox policy"), response.body());
    }

    /** A session's sandbox takes command after command, each an exec held to exactly the same rules. */
    @ParameterizedTest(name = "into a session: {0}")
    @MethodSource("forbiddenExecs")
    void refusesTheSameExecsIntoASessionsSandbox(String name, UnaryOperator<String> edit) throws Exception {
        String body = name.equals("privileged in another case") ? edit.apply(ALLOWED_EXEC) : JSON.writeValueAsString(execBody(edit));
        HttpResponse<String> response = create("/v1.41/containers/crucible-session-" + UUID.randomUUID() + "/exec", body);
        assertEquals(403, response.statusCode(), name + " got through: " + response.body());
        assertTrue(response.body().startsWith("refused by the sandbox policy"), response.body());
    }

    @Test
    void theProgramsExecPassesTheProxy() throws Exception {
        String name = "crucible-policy-it-" + UUID.randomUUID();
        HttpResponse<String> created = create("/v1.41/containers/create?name=" + name, allowedBody());
        String id = JSON.readTree(created.body()).get("Id").asText();
        try {
            // Docker itself answers: the sandbox was never started, so there is nothing to exec in.
            HttpResponse<String> response = create("/v1.41/containers/" + name + "/exec", ALLOWED_EXEC.replace("abc", name));
            assertEquals(409, response.statusCode(), response.body());
        } finally {
            remove(id);
        }
    }

    @Test
    void refusesAnExecIntoAContainerThatIsNoSandbox() throws Exception {
        assertEquals(403, create("/v1.41/containers/abc/exec", ALLOWED_EXEC).statusCode());
    }

    @Test
    void refusesAnExecStartWithATerminal() throws Exception {
        HttpResponse<String> response = create("/v1.41/exec/abc/start", "{\"Detach\":false,\"Tty\":true}");
        assertEquals(403, response.statusCode(), response.body());
    }
}
