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
        assertDoesNotThrow(() -> SubmissionService.requireAdmitted(new Admission.Admitted()));
    }

    @Test
    void moreAtOnceThanTheKeyMayEverHaveIsAnInvalidSubmissionsField() {
        var e = assertThrows(ApiException.InvalidRequest.class,
                () -> SubmissionService.requireAdmitted(new Admission.BeyondQuota(7, 5)));
        assertEquals(List.of(new FieldError("submissions", "7 submissions at once is more than this key may ever have (5)")), e.errors());
    }

    @Test
    void overTheRateIsTooManyRequestsNamingTheRate() {
        var e = assertThrows(ApiException.TooManyRequests.class,
                () -> SubmissionService.requireAdmitted(new Admission.OverRate(60, Duration.ofSeconds(12))));
        assertEquals("this key may make 60 submissions a minute", e.getMessage());
    }

    @Test
    void overTheRateIsRetriedWhenTheAdmissionSays() {
        var e = assertThrows(ApiException.TooManyRequests.class,
                () -> SubmissionService.requireAdmitted(new Admission.OverRate(60, Duration.ofSeconds(12))));
        assertEquals(Duration.ofSeconds(12), e.retryAfter().orElseThrow());
    }

    @Test
    void tooManyActiveIsTooManyRequestsNamingTheMaximum() {
        var e = assertThrows(ApiException.TooManyRequests.class,
                () -> SubmissionService.requireAdmitted(new Admission.OverActive(3, Duration.ofSeconds(2))));
        assertEquals("this key may have 3 submissions queued or running at once", e.getMessage());
    }

    @Test
    void fullQueueIsQueueFullNamingWhatItHolds() {
        var e = assertThrows(ApiException.QueueFull.class,
                () -> SubmissionService.requireAdmitted(new Admission.QueueFull(1000, Duration.ofSeconds(5))));
        assertEquals("the queue is full (1000 submissions); try again shortly", e.getMessage());
    }

    @Test
    void fullQueueIsRetriedWhenTheAdmissionSays() {
        var e = assertThrows(ApiException.QueueFull.class,
                () -> SubmissionService.requireAdmitted(new Admission.QueueFull(1000, Duration.ofSeconds(5))));
        assertEquals(Duration.ofSeconds(5), e.retryAfter().orElseThrow());
    }
}
