package dev.crucible.api.evaluation;

import java.util.OptionalDouble;

/**
 * The unbiased estimator of pass@k from n samples of which c are correct (Chen et al. 2021,
 * "Evaluating Large Language Models Trained on Code"): 1 - C(n-c, k) / C(n, k), the chance that k
 * samples drawn from the n without replacement include a correct one.
 */
final class PassAtK {
    private PassAtK() {}

    /** Empty when k > n: k samples cannot be drawn from n, so pass@k is undefined. */
    static OptionalDouble estimate(int n, int c, int k) {
        if (n < 0 || c < 0 || c > n || k < 1) {
            throw new IllegalArgumentException("pass@k needs 0 <= c <= n and k >= 1, not n=" + n + ", c=" + c + ", k=" + k);
        }
        if (k > n) {
            return OptionalDouble.empty();
        }
        if (n - c < k) {
            return OptionalDouble.of(1.0); // every draw of k holds a correct sample
        }
        // C(n-c, k) / C(n, k) as the product of (1 - k/i) for i in n-c+1..n: no factorial overflows.
        double allWrong = 1.0;
        for (int i = n - c + 1; i <= n; i++) {
            allWrong *= 1.0 - (double) k / i;
        }
        return OptionalDouble.of(1.0 - allWrong);
    }
}
