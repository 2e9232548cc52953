package dev.crucible.sdk;

import static dev.crucible.sdk.FakeCrucible.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS with a self-signed certificate, as the local stack has: keytool makes a key and certificate for
 * 127.0.0.1 in a temporary folder (no key is kept in the repository), a fake serves HTTPS with them,
 * and the client trusts the certificate from its PEM file.
 */
class TlsTest {
    private static final String PASSWORD = "test-only";

    @TempDir
    static Path folder;
    private static Path pem;
    private static FakeCrucible server;

    @BeforeAll
    static void startHttpsServer() throws Exception {
        Path keystore = folder.resolve("server.p12");
        pem = folder.resolve("cert.pem");
        keytool("-genkeypair", "-alias", "crucible", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2",
                "-keystore", keystore.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD, "-keypass", PASSWORD);
        keytool("-exportcert", "-rfc", "-alias", "crucible", "-keystore", keystore.toString(),
                "-storepass", PASSWORD, "-file", pem.toString());
        server = FakeCrucible.startTls(serverContext(keystore));
        server.on("GET", "/v1/runtimes", json(200, "[{\"name\":\"python\",\"version\":\"3.11\",\"aliases\":[],"
                + "\"source_file\":\"main.py\",\"default_limits\":{},\"max_limits\":{}}]"));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static void keytool(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        command.addAll(List.of(arguments));
        Process keytool = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes());
        assertTrue(keytool.waitFor(60, TimeUnit.SECONDS), "keytool did not end");
        assertEquals(0, keytool.exitValue(), "keytool: " + output);
    }

    private static SSLContext serverContext(Path keystore) throws IOException, GeneralSecurityException {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            keys.load(in, PASSWORD.toCharArray());
        }
        KeyManagerFactory managers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        managers.init(keys, PASSWORD.toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(managers.getKeyManagers(), null, null);
        return context;
    }

    @Test
    void theCertificateFromItsPemFileIsTrusted() throws IOException {
        assertTrue(Files.readString(pem).startsWith("-----BEGIN CERTIFICATE-----"));

        try (Crucible crucible = Crucible.builder(server.uri(), "cru_k").trustCertificate(pem).build()) {
            assertEquals("python", crucible.runtimes().getFirst().getName());
        }
    }

    @Test
    void withoutItTheHandshakeFailsAsACrucibleException() {
        try (Crucible crucible = Crucible.builder(server.uri(), "cru_k").timeout(Duration.ofSeconds(5)).build()) {
            CrucibleException refused = assertThrows(CrucibleException.class, crucible::runtimes);
            assertEquals(0, refused.status());
            assertInstanceOf(SSLHandshakeException.class, refused.getCause());
            assertTrue(!Crucible.retryable(refused), "an untrusted certificate does not mend by retrying");
        }
    }

    @Test
    void aFileWithoutACertificateIsRefusedWhenBuilt() throws IOException {
        Path notPem = Files.writeString(folder.resolve("not.pem"), "this is no certificate\n");

        CrucibleException refused = assertThrows(CrucibleException.class,
                () -> Crucible.builder(server.uri(), "cru_k").trustCertificate(notPem).build());
        assertTrue(refused.getMessage().contains(notPem.toString()), refused.getMessage());
    }

    @Test
    void aMissingFileIsRefusedNamingIt() {
        Path missing = folder.resolve("missing.pem");

        CrucibleException refused = assertThrows(CrucibleException.class,
                () -> Crucible.builder(server.uri(), "cru_k").trustCertificate(missing).build());
        assertTrue(refused.getMessage().startsWith("cannot read the certificate file " + missing), refused.getMessage());
    }
}
