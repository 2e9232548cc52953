// How the evaluations view words its numbers (pure, no DOM; unit/evaluation-text.test.ts).
// pass@k is a percentage with one decimal; where the estimator is undefined (k above the
// problem's number of samples, null in the contract) it says so rather than show 0 %; a
// problem's pass@k exists only once all its samples are done, so until then a dash.

export const PASS_AT_K_RUNNING = '—';
export const PASS_AT_K_UNDEFINED = 'undefined (k > n)';

/** A fraction 0..1 as a percentage with one decimal: 0.6667 → "66.7%". */
export function percent(fraction: number): string {
  return `${(fraction * 100).toFixed(1)}%`;
}

/**
 * One pass@k as shown: `byK` is a problem's (or the whole evaluation's) `pass_at_k`, absent
 * while samples are outstanding. A k missing from it is undefined as a null is: the server
 * writes every k it was asked for, so a missing one can only be a null left out.
 */
export function passAtKText(byK: Readonly<Record<string, number | null>> | undefined, k: number): string {
  if (byK === undefined) return PASS_AT_K_RUNNING;
  const value = byK[String(k)];
  return value === null || value === undefined ? PASS_AT_K_UNDEFINED : percent(value);
}

export interface ProgressCounts {
  total: number;
  submitted: number;
  done: number;
}

/**
 * "12 of 40 samples done"; while it runs and not every sample is submitted yet, how many are,
 * since the key's quotas pace the submitting and that is why "done" may grow slowly.
 */
export function progressText(p: ProgressCounts, running: boolean): string {
  const done = `${p.done} of ${p.total} sample${p.total === 1 ? '' : 's'} done`;
  return running && p.submitted < p.total ? `${done}, ${p.submitted} submitted so far` : done;
}

/** Counts by verdict, largest first, then by name, so the order does not jump between updates of equal counts. */
export function verdictCounts(byVerdict: Readonly<Record<string, number>>): [string, number][] {
  return Object.entries(byVerdict)
    .filter(([, count]) => count > 0)
    .sort(([a, x], [b, y]) => y - x || a.localeCompare(b));
}
