package dev.crucible.api.webhook;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * Sends one webhook (a POST, or Judge0's PUT) to the address its {@link CallbackTarget} was checked at, over a socket opened
 * here (no HTTP client would let us pin the address), with TLS that checks the certificate against
 * the URL's host. A 2xx answer is a delivery; redirects are not followed, as a redirect to an inner
 * address is the classic way around an address check.
 */
public final class WebhookSender {
    /** A receiver that takes longer to accept a connection is as good as down; its host's breaker counts it. */
    private static final Duration CONNECT = Duration.ofSeconds(2);
    private static final Duration READ = Duration.ofSeconds(10);
    /** The most one attempt takes, connection to answer. */
    public static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final int MAX_STATUS_LINE = 1024;

    private final SSLContext tls;

    public WebhookSender(SSLContext tls) {
        this.tls = tls;
    }

    public static WebhookSender withDefaultTrust() {
        try {
            return new WebhookSender(SSLContext.getDefault());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no default TLS context", e);
        }
    }

    /** The HTTP status the receiver answered; throws IOException when there was no answer. */
    public int send(CallbackTarget target, String method, UUID submissionId, int attempt, byte[] body, String secret)
            throws IOException {
        if (!method.equals("POST") && !method.equals("PUT")) {
            throw new IllegalArgumentException("a webhook is a POST or a PUT, not " + method);
        }
        // A receiver that trickles its answer byte by byte would hold a dispatcher slot for hours:
        // past the deadline the socket is closed under it, whatever it is doing.
        Socket plain = new Socket();
        CountDownLatch finished = new CountDownLatch(1);
        Thread.ofVirtual().name("webhook-deadline").start(() -> {
            try {
                if (!finished.await(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)) {
                    plain.close();
                }
            } catch (InterruptedException | IOException e) {
                Thread.currentThread().interrupt();
            }
        });
        try (Socket socket = open(plain, target)) {
            socket.setSoTimeout((int) READ.toMillis());
            OutputStream out = socket.getOutputStream();
            String path = target.uri().getRawPath() == null || target.uri().getRawPath().isEmpty() ? "/" : target.uri().getRawPath();
            if (target.uri().getRawQuery() != null) {
                path += "?" + target.uri().getRawQuery();
            }
            String head = method + " " + path + " HTTP/1.1\r\n"
                    + "Host: " + hostHeader(target) + "\r\n"
                    + "User-Agent: Crucible-Webhook/1\r\n"
                    + "Content-Type: application/json\r\n"
                    + "Content-Length: " + body.length + "\r\n"
                    + "X-Crucible-Submission: " + submissionId + "\r\n"
                    + "X-Crucible-Delivery-Attempt: " + attempt + "\r\n"
                    + "X-Crucible-Signature: sha256=" + signature(body, secret) + "\r\n"
                    + "Connection: close\r\n\r\n";
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            return status(new BufferedInputStream(socket.getInputStream()));
        } finally {
            finished.countDown();
        }
    }

    /** Hex HMAC-SHA256 of the body: what a receiver recomputes with its secret to trust the body. */
    public static String signature(byte[] body, String secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK has HmacSHA256", e);
        }
    }

    private Socket open(Socket plain, CallbackTarget target) throws IOException {
        try {
            plain.connect(new InetSocketAddress(target.address(), target.port()), (int) CONNECT.toMillis());
            if (!target.tls()) {
                return plain;
            }
            SSLSocket secure = (SSLSocket) tls.getSocketFactory().createSocket(plain, target.host(), target.port(), true);
            SSLParameters parameters = secure.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            if (!target.host().matches("[0-9.]+|\\[.*\\]|.*:.*")) { // SNI names hosts, not address literals
                parameters.setServerNames(List.of(new SNIHostName(target.host())));
            }
            secure.setSSLParameters(parameters);
            secure.setSoTimeout((int) READ.toMillis());
            secure.startHandshake();
            return secure;
        } catch (IOException | RuntimeException e) {
            plain.close();
            throw e;
        }
    }

    private static String hostHeader(CallbackTarget target) {
        boolean defaultPort = target.port() == (target.tls() ? 443 : 80);
        return defaultPort ? target.host() : target.host() + ":" + target.port();
    }

    private static int status(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c != -1 && c != '\n'; c = in.read()) {
            if (line.length() > MAX_STATUS_LINE) {
                throw new IOException("the receiver's status line is too long");
            }
            line.append((char) c);
        }
        String[] parts = line.toString().trim().split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.") || !parts[1].matches("\\d{3}")) {
            throw new IOException("the receiver did not answer HTTP: '" + line.toString().trim() + "'");
        }
        return Integer.parseInt(parts[1]);
    }
}
