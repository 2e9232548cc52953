// Follows one evaluation until it is final, as watch.ts follows a submission: live over the
// event stream (GET /v1/evaluations/{id}/events, `event: evaluation`, at most one a second),
// else by polling GET /v1/evaluations/{id} once a second. Polling takes over when the stream is
// missing (404), breaks (a proxy cut it, the api restarted), or ends before the final state
// (the server ends a stream after a while).
import { authHeaders, evaluations } from './api';
import { EvaluationFromJSON, ResponseError, type Evaluation } from './generated';
import { readEvents } from './sse';
import { isTransient, POLL_INTERVAL_MS, POLL_RETRIES, sleep } from './watch';

export type OnEvaluation = (evaluation: Evaluation, via: 'live' | 'polling') => void;

export function isFinalEvaluation(evaluation: Evaluation): boolean {
  return evaluation.status !== 'running';
}

export async function watchEvaluation(id: string, onUpdate: OnEvaluation, signal: AbortSignal): Promise<Evaluation> {
  try {
    const last = await streamEvents(id, onUpdate, signal);
    if (last && isFinalEvaluation(last)) return last;
  } catch (error) {
    // Stop on abort and on errors the user must act on (401: wrong key); poll otherwise.
    if (signal.aborted) throw error;
    if (error instanceof ResponseError && error.response.status !== 404) throw error;
  }
  return poll(id, onUpdate, signal);
}

async function streamEvents(id: string, onUpdate: OnEvaluation, signal: AbortSignal): Promise<Evaluation | undefined> {
  const response = await fetch(`/v1/evaluations/${encodeURIComponent(id)}/events`, {
    headers: { ...authHeaders(), Accept: 'text/event-stream' },
    cache: 'no-store',
    signal,
  });
  if (!response.ok || !response.body) throw new ResponseError(response, `event stream answered ${response.status}`);
  let last: Evaluation | undefined;
  for await (const event of readEvents(response.body)) {
    if (event.event !== 'evaluation') continue;
    last = EvaluationFromJSON(JSON.parse(event.data));
    onUpdate(last, 'live');
    if (isFinalEvaluation(last)) break; // the server ends the stream here too; don't wait for it
  }
  return last;
}

async function poll(id: string, onUpdate: OnEvaluation, signal: AbortSignal): Promise<Evaluation> {
  let failures = 0;
  for (;;) {
    try {
      const evaluation = await evaluations.getEvaluation({ id }, { signal, cache: 'no-store' });
      failures = 0;
      onUpdate(evaluation, 'polling');
      if (isFinalEvaluation(evaluation)) return evaluation;
    } catch (error) {
      if (signal.aborted || !isTransient(error) || ++failures > POLL_RETRIES) throw error;
    }
    await sleep(POLL_INTERVAL_MS, signal);
  }
}
