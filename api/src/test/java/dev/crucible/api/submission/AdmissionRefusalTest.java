package dev.crucible.api.submission;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.crucible.api.admission.Admission;
import dev.crucible.api.http.ApiException;
import dev.crucible.api.model.FieldError;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How the submission edge answers each admission decision: the errors clients have always had. */
class AdmissionRefusalTest {
    @Test
    void admittedIsNoError() {
        assertDoesNotThrow(() -> SubmissionService.requireAdmitted(new Admission.Admitted(), false));
    }

    @Test
    void moreAtOnceThanTheKeyMayEverHaveIsAnInvalidSubmissionsField() {
        var e = assertThrows(ApiException.InvalidRequest.class,
                () -> SubmissionService.requireAdmitted(new Admission.BeyondQuota(7, 5), false));
        assertEquals(List.of(new FieldError("submissions", "7 submissions at once is more than this key may ever have (5)")), e.errors());
    }

    @Test
    void overTheRateIsTooManyRequestsNamingTheRate() {
        var e = assertThrows(ApiException.TooManyRequests.class,
                () -> SubmissionService.requireAdmitted(new Admission.OverRate(60, Duration.ofSeconds(12)), false));
        assertEquals("this key may make 60 submissions a minute", e.getMessage());
    }

    @Test
    void overTheRateIsRetriedWhenTheAdmissionSays() {
        var e = assertThrows(ApiException.TooManyRequests.class,
                () -> SubmissionService.requireAdmitted(new Admission.OverRate(60, Duration.ofSeconds(12)), false));
        assertEquals(Duration.ofSeconds(12), e.retryAfter().orElseThrow());
    }

    @Test
    void tooManyActiveIsTooManyRequestsNamingTheMaximum() {
        var e = assertThrows(ApiException.TooManyRequests.class,
                () -> SubmissionService.requireAdmitted(new Admission.OverActive(3, Duration.ofSeconds(2)), false));
        assertEquals("this key may have 3 submissions queued or running and sessions open at once", e.getMessage());
    }

    @Test
    void fullQueueIsQueueFullNamingWhatItHolds() {
        var e = assertThrows(ApiException.QueueFull.class,
                () -> SubmissionService.requireAdmitted(new Admission.QueueFull(1000, Duration.ofSeconds(5)), false));
        assertEquals("the queue is full (1000 submissions); try again shortly", e.getMessage());
    }

    @Test
    void fullQueueIsRetriedWhenTheAdmissionSays() {
        var e = assertThrows(ApiException.QueueFull.class,
                () -> SubmissionService.requireAdmitted(new Admission.QueueFull(1000, Duration.ofSeconds(5)), false));
        assertEquals(Duration.ofSeconds(5), e.retryAfter().orElseThrow());
    }

    @Test
    void aSubmissionOverTheKeysSandboxMaximumIsAnInvalidLimitsFieldNamingBothFigures() {
        var e = assertThrows(ApiException.InvalidRequest.class,
                () -> SubmissionService.requireAdmitted(new Admission.OverSubmissionSandbox(0, 1_920_000, 120_000), false));
        assertEquals(List.of(new FieldError("limits", "tests x runs x wall_time_ms (plus the compile's wall time) come to "
                + "1920000 ms of sandbox time; this key allows at most 120000 ms per submission")), e.errors());
    }

    @Test
    void aBatchedSubmissionOverTheKeysSandboxMaximumIsNamedByItsIndex() {
        var e = assertThrows(ApiException.InvalidRequest.class,
                () -> SubmissionService.requireAdmitted(new Admission.OverSubmissionSandbox(3, 1_920_000, 120_000), true));
        assertEquals("submissions[3].limits", e.errors().getFirst().getField());
    }

    @Test
    void overTheSandboxBudgetIsTooManyRequestsNamingTheBudget() {
        var e = assertThrows(ApiException.TooManyRequests.class, () -> SubmissionService.requireAdmitted(
                new Admission.OverSandboxBudget(Admission.Window.MINUTE, 600_000, Duration.ofSeconds(9)), false));
        assertEquals("this key's submissions may use 600000 ms of sandbox time (worst case) per minute", e.getMessage());
    }

    @Test
    void overTheSandboxBudgetIsRetriedWhenTheAdmissionSays() {
        var e = assertThrows(ApiException.TooManyRequests.class, () -> SubmissionService.requireAdmitted(
                new Admission.OverSandboxBudget(Admission.Window.HOUR, 7_200_000, Duration.ofSeconds(9)), false));
        assertEquals(Duration.ofSeconds(9), e.retryAfter().orElseThrow());
    }
}
