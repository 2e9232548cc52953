package dev.crucible.api.webhook;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A circuit breaker per receiver (the dispatcher names one by key and host, so that no key can
 * close a shared host to the others): after {@value #FAILURES_TO_OPEN} failed attempts in a row
 * (no answer, or a 5xx), the host is left alone for a minute, then for twice as long after each
 * trial that fails too, up to ten minutes. While it is open, its webhooks wait without spending an
 * attempt; once it has cooled down, one attempt tries it, and a success closes it.
 */
final class HostBreakers {
    static final int FAILURES_TO_OPEN = 5;
    static final Duration FIRST_OPENING = Duration.ofMinutes(1);
    static final Duration LONGEST_OPENING = Duration.ofMinutes(10);
    /** Receivers remembered at most; past it those not open are forgotten, as a success would. */
    static final int MOST_REMEMBERED = 10_000;

    private final Clock clock;
    private final Map<String, Breaker> hosts = new ConcurrentHashMap<>();

    /** A host's record: failures in a row, and while open, until when and how long it opened for. */
    private record Breaker(int failures, Instant openUntil, Duration opening, boolean trialUnderWay) {
        static final Breaker CLOSED = new Breaker(0, null, null, false);
    }

    HostBreakers(Clock clock) {
        this.clock = clock;
    }

    /**
     * Empty when an attempt to {@code host} may go now (for a host that cooled down: the one trial,
     * given out once); else until when its webhooks wait.
     */
    Optional<Instant> closedUntil(String host) {
        Instant now = clock.instant();
        Instant[] waitUntil = new Instant[1];
        hosts.compute(key(host), (k, b) -> {
            if (b == null || b.openUntil() == null) {
                return b;
            }
            if (now.isBefore(b.openUntil()) || b.trialUnderWay()) {
                waitUntil[0] = now.isBefore(b.openUntil()) ? b.openUntil() : now.plus(FIRST_OPENING);
                return b;
            }
            return new Breaker(b.failures(), b.openUntil(), b.opening(), true);
        });
        return Optional.ofNullable(waitUntil[0]);
    }

    void succeeded(String host) {
        hosts.remove(key(host));
    }

    /** The attempt never reached the host (its address was refused, its body could not be made): nothing learnt. */
    void abandoned(String host) {
        hosts.computeIfPresent(key(host), (k, b) -> new Breaker(b.failures(), b.openUntil(), b.opening(), false));
    }

    void failed(String host) {
        if (hosts.size() >= MOST_REMEMBERED) {
            // Failing once at many names (a wildcard domain) must not grow this without bound.
            hosts.values().removeIf(b -> b.openUntil() == null);
        }
        Instant now = clock.instant();
        hosts.compute(key(host), (k, b) -> {
            Breaker before = b == null ? Breaker.CLOSED : b;
            int failures = before.failures() + 1;
            if (before.trialUnderWay()) {
                Duration longer = before.opening().multipliedBy(2);
                Duration opening = longer.compareTo(LONGEST_OPENING) > 0 ? LONGEST_OPENING : longer;
                return new Breaker(failures, now.plus(opening), opening, false);
            }
            if (failures >= FAILURES_TO_OPEN && before.openUntil() == null) {
                return new Breaker(failures, now.plus(FIRST_OPENING), FIRST_OPENING, false);
            }
            return new Breaker(failures, before.openUntil(), before.opening(), false);
        });
    }

    private static String key(String host) {
        return host.toLowerCase(Locale.ROOT);
    }
}
