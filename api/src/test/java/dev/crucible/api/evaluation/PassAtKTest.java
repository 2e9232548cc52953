package dev.crucible.api.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Against values worked out by hand from 1 - C(n-c, k) / C(n, k). */
class PassAtKTest {
    private static double of(int n, int c, int k) {
        return PassAtK.estimate(n, c, k).orElseThrow();
    }

    @Test
    void passAt1IsTheShareCorrect() {
        assertEquals(0.3, of(10, 3, 1), 1e-12);
    }

    @Test
    void matchesTheBinomialsWorkedByHand() {
        // n=5, c=2, k=2: 1 - C(3,2)/C(5,2) = 1 - 3/10
        assertEquals(0.7, of(5, 2, 2), 1e-12);
        // n=10, c=3, k=5: 1 - C(7,5)/C(10,5) = 1 - 21/252
        assertEquals(1 - 21.0 / 252, of(10, 3, 5), 1e-12);
        // n=20, c=1, k=10: 1 - C(19,10)/C(20,10) = 1 - 10/20
        assertEquals(0.5, of(20, 1, 10), 1e-12);
    }

    @Test
    void noCorrectSampleIsZero() {
        assertEquals(0.0, of(10, 0, 1));
        assertEquals(0.0, of(10, 0, 10));
    }

    @Test
    void allCorrectIsOne() {
        assertEquals(1.0, of(10, 10, 1));
        assertEquals(1.0, of(10, 10, 10));
    }

    @Test
    void fewerWrongThanKIsOne() {
        // n=10, c=8, k=3: only 2 wrong, so every draw of 3 holds a correct one
        assertEquals(1.0, of(10, 8, 3));
    }

    @Test
    void kAboveNIsUndefined() {
        assertTrue(PassAtK.estimate(5, 2, 6).isEmpty());
    }

    @Test
    void staysExactForManySamples() {
        // n=10000, c=1, k=100: 1 - C(9999,100)/C(10000,100) = 100/10000; factorials would overflow
        assertEquals(0.01, of(10_000, 1, 100), 1e-12);
    }

    @Test
    void refusesImpossibleCounts() {
        assertThrows(IllegalArgumentException.class, () -> PassAtK.estimate(3, 4, 1));
        assertThrows(IllegalArgumentException.class, () -> PassAtK.estimate(3, 1, 0));
    }
}
