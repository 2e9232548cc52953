// Follows one evaluation until it is final (follow.ts): `event: evaluation`, at most one a second.
import { evaluations } from './api';
import { follow, type Via } from './follow';
import { EvaluationFromJSON, type Evaluation } from './generated';

export type OnEvaluation = (evaluation: Evaluation, via: Via) => void;

export function isFinalEvaluation(evaluation: Evaluation): boolean {
  return evaluation.status !== 'running';
}

export function watchEvaluation(id: string, onUpdate: OnEvaluation, signal: AbortSignal): Promise<Evaluation> {
  return follow({
    events: `/v1/evaluations/${encodeURIComponent(id)}/events`,
    stateEvent: 'evaluation',
    parse: (data) => EvaluationFromJSON(JSON.parse(data)),
    read: (s) => evaluations.getEvaluation({ id }, { signal: s, cache: 'no-store' }),
    isFinal: isFinalEvaluation,
  }, onUpdate, signal);
}
