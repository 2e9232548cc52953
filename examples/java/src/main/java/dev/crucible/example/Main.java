package dev.crucible.example;

import dev.crucible.sdk.Crucible;
import dev.crucible.sdk.CrucibleException;
import dev.crucible.sdk.model.Submission;
import dev.crucible.sdk.model.SubmissionRequest;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Runs a Python hello world on Crucible and prints its verdict and output. The server is
 * CRUCIBLE_URL (the local stack's public entry, https://127.0.0.1:8443, by default) with the key
 * CRUCIBLE_KEY; CRUCIBLE_CA is the PEM certificate to trust, the stack's self-signed
 * .crucible/tls/cert.pem say (unset: the system's CAs).
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        String url = System.getenv().getOrDefault("CRUCIBLE_URL", "https://127.0.0.1:8443");
        String key = System.getenv("CRUCIBLE_KEY");
        String ca = System.getenv("CRUCIBLE_CA");
        if (key == null || key.isBlank()) {
            System.err.println("set CRUCIBLE_KEY to an API key");
            System.exit(2);
        }
        Crucible.Builder builder = Crucible.builder(URI.create(url), key).timeout(Duration.ofSeconds(60));
        if (ca != null && !ca.isBlank()) {
            builder = builder.trustCertificate(Path.of(ca));
        }
        try (Crucible crucible = builder.build()) {
            Submission done = crucible.run(new SubmissionRequest().runtime("python").source("print('hello')"),
                    Duration.ofMinutes(2));
            System.out.println("verdict: " + done.getVerdict());
            System.out.print("stdout: " + done.getStdout());
        } catch (CrucibleException e) {
            // The status and the problem's title, detail and type are in the message.
            System.err.println("Crucible refused: " + e.getMessage());
            System.exit(1);
        }
    }
}
