package dev.crucible.api.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crucible.testsupport.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HostBreakersTest {
    private final TestClock clock = new TestClock(Instant.parse("2026-12-04T12:00:00Z"));
    private final HostBreakers breakers = new HostBreakers(clock);

    private void failTimes(String host, int times) {
        for (int i = 0; i < times; i++) {
            assertTrue(breakers.closedUntil(host).isEmpty(), "attempt " + (i + 1) + " may go");
            breakers.failed(host);
        }
    }

    @Test
    void opensForAMinuteAfterFiveFailuresInARow() {
        failTimes("hooks.example", HostBreakers.FAILURES_TO_OPEN);
        assertEquals(Optional.of(clock.instant().plus(Duration.ofMinutes(1))), breakers.closedUntil("hooks.example"));
    }

    @Test
    void aSuccessInBetweenStartsTheCountAgain() {
        failTimes("hooks.example", HostBreakers.FAILURES_TO_OPEN - 1);
        breakers.succeeded("hooks.example");
        failTimes("hooks.example", HostBreakers.FAILURES_TO_OPEN - 1);
        assertTrue(breakers.closedUntil("hooks.example").isEmpty());
    }

    @Test
    void otherHostsAreNotHeldBack() {
        failTimes("down.example", HostBreakers.FAILURES_TO_OPEN);
        assertTrue(breakers.closedUntil("up.example").isEmpty());
    }

    @Test
    void hostNamesAreOneWhateverTheirCase() {
        failTimes("Hooks.Example", HostBreakers.FAILURES_TO_OPEN);
        assertTrue(breakers.closedUntil("hooks.example").isPresent());
    }

    @Test
    void aCooledDownHostGetsOneTrialAtATime() {
        failTimes("hooks.example", HostBreakers.FAILURES_TO_OPEN);
        clock.advance(Duration.ofMinutes(1));
        assertTrue(breakers.closedUntil("hooks.example").isEmpty(), "the trial");
        assertTrue(breakers.closedUntil("hooks.example").isPresent(), "nothing else while the trial is under way");
    }

    @Test
    void aTrialThatSucceedsClosesIt() {
        failTimes("hooks.example", HostBreakers.FAILURES_TO_OPEN);
        clock.advance(Duration.ofMinutes(1));
        breakers.closedUntil("hooks.example");
        breakers.succeeded("hooks.example");
        assertTrue(breakers.closedUntil("hooks.example").isEmpty());
        assertTrue(breakers.closedUntil("hooks.example").isEmpty());
    }

    @Test
    void aTrialThatFailsOpensItTwiceAsLongUpToTenMinutes() {
        failTimes("hooks.example", HostBreakers.FAILURES_TO_OPEN);
        Duration opening = Duration.ofMinutes(1);
        for (Duration expected : new Duration[] {Duration.ofMinutes(2), Duration.ofMinutes(4), Duration.ofMinutes(8),
                Duration.ofMinutes(10), Duration.ofMinutes(10)}) {
            clock.advance(opening);
            assertTrue(breakers.closedUntil("hooks.example").isEmpty(), "the trial");
            breakers.failed("hooks.example");
            assertEquals(Optional.of(clock.instant().plus(expected)), breakers.closedUntil("hooks.example"));
            opening = expected;
        }
    }

    @Test
    void aTrialThatNeverReachedTheHostLetsTheNextOneTry() {
        failTimes("hooks.example", HostBreakers.FAILURES_TO_OPEN);
        clock.advance(Duration.ofMinutes(1));
        breakers.closedUntil("hooks.example");
        breakers.abandoned("hooks.example");
        assertTrue(breakers.closedUntil("hooks.example").isEmpty());
    }
}
