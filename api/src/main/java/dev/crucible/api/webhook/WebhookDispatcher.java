package dev.crucible.api.webhook;

import dev.crucible.api.auth.ApiKeyStore;
import dev.crucible.api.http.ApiException;
import dev.crucible.api.http.ResponseBudget;
import dev.crucible.api.model.Submission;
import dev.crucible.lifecycle.Loop;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Sends the webhooks of completed submissions: each is re-checked against the address policy at
 * send time, signed with its key's secret, and retried with exponential backoff (5 s, 10 s, 20 s...)
 * up to {@link #MAX_ATTEMPTS} attempts, on virtual threads, at most {@link #PARALLEL} at once. Each is
 * written in its submission's {@link CallbackFormat}.
 *
 * <p>Fair across keys and receivers: one key has at most {@link #PER_KEY} deliveries under way, so a
 * slow receiver holds its own key's slots only, and a host that keeps failing one key's webhooks is
 * left alone for a while for that key ({@link HostBreakers}), its webhooks waiting without spending
 * attempts; another key's webhooks to the same host go on.
 */
public final class WebhookDispatcher {
    private static final Logger log = LoggerFactory.getLogger(WebhookDispatcher.class);
    public static final int MAX_ATTEMPTS = 6;
    private static final int PARALLEL = 16;
    static final int PER_KEY = 4;
    private static final Duration PERIOD = Duration.ofSeconds(1);
    private static final Duration FIRST_RETRY = Duration.ofSeconds(5);
    /** When the response budget is spent, a webhook waits this long without spending an attempt. */
    private static final Duration BUSY_RETRY = Duration.ofSeconds(5);

    private final WebhookDeliveries deliveries;
    private final Submissions submissions;
    private final ApiKeyStore keys;
    private final Map<CallbackFormat, BodyWriter> writers;
    private final WebhookSender sender;
    private final AddressPolicy policy;
    private final CallbackTarget.Resolver resolver;
    private final boolean allowHttp;
    private final Semaphore slots = new Semaphore(PARALLEL);
    private final Set<UUID> inFlight = ConcurrentHashMap.newKeySet();
    private final Map<UUID, Integer> inFlightPerKey = new ConcurrentHashMap<>();
    private final HostBreakers breakers;
    private final ResponseBudget budget;
    private final Clock clock;
    private final Loop loop = new Loop("webhooks", Loop.Pacing.every(PERIOD), this::dispatchDue,
            e -> log.warn("webhook dispatcher paused, retrying in {}: {}", PERIOD, e.getMessage()));

    /** The submissions whose webhooks are sent: the submission package answers, so this one never maps their rows. */
    public interface Submissions {
        /** The submission as its owner sees it, for a webhook body; empty when there is none. */
        Optional<Submission> find(UUID id);

        /** The submission's stored size, before it is read: what its body will hold ({@link ResponseBudget}). */
        long storedBytes(UUID id);
    }

    /** A webhook's body, as JSON, in one format: the adapter of an API writes its own. */
    @FunctionalInterface
    public interface BodyWriter {
        byte[] write(Submission submission) throws IOException;
    }

    /** @param writers one for every {@link CallbackFormat} */
    public WebhookDispatcher(WebhookDeliveries deliveries, Submissions submissions, ApiKeyStore keys,
                             Map<CallbackFormat, BodyWriter> writers, WebhookSender sender, AddressPolicy policy,
                             CallbackTarget.Resolver resolver, boolean allowHttp, ResponseBudget budget, Clock clock) {
        for (CallbackFormat format : CallbackFormat.values()) {
            if (!writers.containsKey(format)) {
                throw new IllegalArgumentException("no webhook body writer for the " + format.wireName() + " format");
            }
        }
        this.deliveries = deliveries;
        this.submissions = submissions;
        this.keys = keys;
        this.writers = new EnumMap<>(writers);
        this.sender = sender;
        this.policy = policy;
        this.resolver = resolver;
        this.allowHttp = allowHttp;
        this.breakers = new HostBreakers(clock);
        this.budget = budget;
        this.clock = clock;
    }

    public void start() {
        loop.start();
    }

    private void dispatchDue() throws InterruptedException {
        for (WebhookDeliveries.DueWebhook due : deliveries.due(PARALLEL, PER_KEY)) {
            if (inFlight.contains(due.submissionId())) {
                continue;
            }
            slots.acquire();
            if (!takeKeySlot(due.apiKeyId())) {
                slots.release();
                continue;
            }
            inFlight.add(due.submissionId());
            Thread.ofVirtual().name("webhook-" + due.submissionId()).start(() -> {
                try {
                    deliver(due);
                } finally {
                    inFlight.remove(due.submissionId());
                    inFlightPerKey.compute(due.apiKeyId(), (key, n) -> n == null || n <= 1 ? null : n - 1);
                    slots.release();
                }
            });
        }
    }

    /** One more of the key's deliveries under way, unless it has {@link #PER_KEY} already. */
    private boolean takeKeySlot(UUID keyId) {
        boolean[] taken = new boolean[1];
        inFlightPerKey.compute(keyId, (key, n) -> {
            int now = n == null ? 0 : n;
            taken[0] = now < PER_KEY;
            return taken[0] ? now + 1 : now;
        });
        return taken[0];
    }

    void deliver(WebhookDeliveries.DueWebhook due) {
        // Around the whole attempt: a try's resources are closed before its catch blocks log.
        try (var _ = MDC.putCloseable("submission", due.submissionId().toString())) {
            // One key's failing receiver holds up that key's webhooks to that host, never another key's.
            String breaker = due.apiKeyId() + " " + hostOf(due.url());
            Optional<Instant> breakerOpen = breakers.closedUntil(breaker);
            if (breakerOpen.isPresent()) {
                deliveries.postponed(due.submissionId(), breakerOpen.get(), "waiting: " + hostOf(due.url()) + " failed "
                        + HostBreakers.FAILURES_TO_OPEN + " or more attempts in a row; it is tried again after " + breakerOpen.get());
                return;
            }
            Outcome outcome = Outcome.NOT_SENT;
            try {
                outcome = sendWithinBudget(due);
            } finally {
                switch (outcome) {
                    case ANSWERED -> breakers.succeeded(breaker);
                    case FAILED -> breakers.failed(breaker);
                    case NOT_SENT -> breakers.abandoned(breaker);
                }
            }
        }
    }

    /** What an attempt tells of its receiver, for the breaker. */
    private enum Outcome { ANSWERED, FAILED, NOT_SENT }

    /** A large body is held from its read to the end of its send, as a large answer is. */
    private Outcome sendWithinBudget(WebhookDeliveries.DueWebhook due) {
        ResponseBudget.Held held;
        try {
            held = budget.admit(submissions.storedBytes(due.submissionId()));
        } catch (ApiException.ServiceUnavailable busy) {
            deliveries.postponed(due.submissionId(), clock.instant().plus(BUSY_RETRY), "waiting: " + busy.getMessage());
            return Outcome.NOT_SENT;
        }
        try (held) {
            return attemptDelivery(due);
        }
    }

    private Outcome attemptDelivery(WebhookDeliveries.DueWebhook due) {
        int attempt = due.attempts() + 1;
        byte[] body;
        String secret;
        CallbackTarget target;
        try {
            target = CallbackTarget.resolve(due.url(), allowHttp, policy, resolver);
            Submission submission = submissions.find(due.submissionId()).orElseThrow();
            body = writers.get(due.format()).write(submission);
            secret = keys.webhookSecret(due.apiKeyId()).orElseThrow();
        } catch (CallbackTarget.RefusedCallbackException e) {
            deliveries.failed(due.submissionId(), e.getMessage(), null);
            log.warn("webhook of submission {} refused at send time: {}", due.submissionId(), e.getMessage());
            return Outcome.NOT_SENT;
        } catch (IOException | RuntimeException e) {
            log.error("webhook of submission {} could not be made", due.submissionId(), e);
            failed(due, attempt, e.toString());
            return Outcome.NOT_SENT;
        }
        int status;
        try {
            status = sender.send(target, due.format().method(), due.submissionId(), attempt, body, secret);
        } catch (IOException e) {
            failed(due, attempt, e.toString());
            return Outcome.FAILED;
        } catch (RuntimeException e) {
            log.error("webhook of submission {} failed", due.submissionId(), e);
            failed(due, attempt, e.toString());
            return Outcome.NOT_SENT;
        }
        if (status / 100 == 2) {
            deliveries.delivered(due.submissionId());
            log.info("webhook of submission {} delivered (attempt {})", due.submissionId(), attempt);
        } else {
            failed(due, attempt, "the receiver answered HTTP " + status);
        }
        return status / 100 == 5 ? Outcome.FAILED : Outcome.ANSWERED;
    }

    /** The URL's host as the breaker knows it; the whole URL when it has none (it is then refused anyway). */
    private static String hostOf(String url) {
        try {
            String host = URI.create(url).getHost();
            return host == null ? url : host;
        } catch (IllegalArgumentException e) {
            return url;
        }
    }

    private void failed(WebhookDeliveries.DueWebhook due, int attempt, String error) {
        Duration retry = attempt >= MAX_ATTEMPTS ? null : FIRST_RETRY.multipliedBy(1L << (attempt - 1));
        deliveries.failed(due.submissionId(), error, retry);
        log.warn("webhook of submission {} attempt {} failed ({}); {}", due.submissionId(), attempt, error,
                retry == null ? "giving up" : "retrying in " + retry);
    }

    /** Stops taking due webhooks; deliveries under way finish on their own threads. */
    public void stop() throws InterruptedException {
        loop.stop(Duration.ZERO);
    }
}
