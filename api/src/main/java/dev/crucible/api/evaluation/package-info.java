/**
 * Evaluations: many samples of many problems, each run as a submission of the caller's key and
 * judged, reported as pass@k. The samples are submitted in the background through the same API as
 * any client's ({@link EvaluationFeeder}), so an evaluation is paced by its key's quotas and the
 * queue's fair scheduling, and never takes more than its key may.
 */
package dev.crucible.api.evaluation;
