// How the evaluations view words pass@k and progress (src/evaluation-text.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PASS_AT_K_RUNNING, PASS_AT_K_UNDEFINED, passAtKText, percent, progressText, verdictCounts } from '../src/evaluation-text.ts';

test('pass@k is a percentage with one decimal, rounded', () => {
  assert.equal(percent(2 / 3), '66.7%');
  assert.equal(percent(1), '100.0%');
  assert.equal(percent(0), '0.0%');
  assert.equal(percent(0.12345), '12.3%');
  assert.equal(percent(0.99999), '100.0%');
});

test('a problem complete: its pass@k per k, null and a left-out k both undefined (k > n)', () => {
  const byK = { '1': 2 / 3, '2': 1, '5': null };
  assert.equal(passAtKText(byK, 1), '66.7%');
  assert.equal(passAtKText(byK, 2), '100.0%');
  assert.equal(passAtKText(byK, 5), PASS_AT_K_UNDEFINED);
  assert.equal(PASS_AT_K_UNDEFINED, 'undefined (k > n)');
  assert.equal(passAtKText({ '1': 0 }, 1), '0.0%', 'zero is a value, not undefined');
  assert.equal(passAtKText({ '1': 0.5 }, 10), PASS_AT_K_UNDEFINED);
});

test('a problem still running has no pass@k yet: a dash, whatever the k', () => {
  assert.equal(passAtKText(undefined, 1), PASS_AT_K_RUNNING);
  assert.equal(PASS_AT_K_RUNNING, '—');
});

test('progress: done of total; while running and not all submitted, how many are', () => {
  assert.equal(progressText({ total: 40, submitted: 40, done: 12 }, true), '12 of 40 samples done');
  assert.equal(progressText({ total: 40, submitted: 20, done: 12 }, true), '12 of 40 samples done, 20 submitted so far');
  assert.equal(progressText({ total: 40, submitted: 20, done: 40 }, false), '40 of 40 samples done');
  assert.equal(progressText({ total: 1, submitted: 0, done: 0 }, false), '0 of 1 sample done');
});

test('verdict counts: largest first, ties by name, zeros left out', () => {
  assert.deepEqual(verdictCounts({ wrong_answer: 1, accepted: 3, runtime_error: 1, cancelled: 0 }),
    [['accepted', 3], ['runtime_error', 1], ['wrong_answer', 1]]);
  assert.deepEqual(verdictCounts({}), []);
});
