package dev.crucible.api.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The sandbox-time parts of an admission decision, apart from the rows they are read from. */
class AdmissionTest {
    private static final Admission.Quota QUOTA = new Admission.Quota(60, 8, 120_000, 600_000, 7_200_000);

    @Test
    void aSubmissionWithinTheKeysMaximumIsAdmitted() {
        assertEquals(new Admission.Admitted(), Admission.perSubmission(QUOTA, List.of(120_000L)));
    }

    @Test
    void aSubmissionOverTheKeysMaximumIsRefusedNamingItsFigure() {
        assertEquals(new Admission.OverSubmissionSandbox(1, 1_920_000, 120_000),
                Admission.perSubmission(QUOTA, List.of(5000L, 1_920_000L)));
    }

    @Test
    void aSubmissionThatCouldNeverFitThePerMinuteBudgetIsRefusedAgainstIt() {
        var tight = new Admission.Quota(60, 8, 120_000, 10_000, 7_200_000);
        assertEquals(new Admission.OverSubmissionSandbox(0, 20_000, 10_000), Admission.perSubmission(tight, List.of(20_000L)));
    }

    @Test
    void whatFitsInTheWindowsBudgetIsAdmitted() {
        assertEquals(new Admission.Admitted(), Admission.withinBudget(Admission.Window.MINUTE, 600_000, 100_000,
                new Admission.WindowUse(500_000, null)));
    }

    @Test
    void pastTheWindowsBudgetIsRefusedUntilEnoughHasLeftIt() {
        assertEquals(new Admission.OverSandboxBudget(Admission.Window.MINUTE, 600_000, Duration.ofSeconds(17)),
                Admission.withinBudget(Admission.Window.MINUTE, 600_000, 100_000,
                        new Admission.WindowUse(550_000, Duration.ofSeconds(17))));
    }

    @Test
    void moreAtOnceThanTheWindowHoldsIsRetriedAWindowLater() {
        assertEquals(Duration.ofHours(1), ((Admission.OverSandboxBudget) Admission.withinBudget(Admission.Window.HOUR, 1000, 2000,
                new Admission.WindowUse(0, null))).retryAfter());
    }
}
