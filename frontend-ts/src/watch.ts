// Follows one submission until it is final: live over the event stream
// (GET /v1/submissions/{id}/events), else by polling GET /v1/submissions/{id} once a second.
// Polling is the fallback when the server has no event stream (404), or the stream breaks
// (a proxy cut it, the api restarted) before the final event.
import { authHeaders, submissions } from './api';
import { OutputChunkFromJSON, ResponseError, SubmissionFromJSON, type OutputChunk, type Submission } from './generated';
import { readEvents } from './sse';

export type OnUpdate = (submission: Submission, via: 'live' | 'polling') => void;
/** A piece of the program's output as it runs (only over the event stream; polling has none). */
export type OnOutput = (chunk: OutputChunk) => void;

export function isFinal(submission: Submission): boolean {
  return submission.status === 'completed' || submission.status === 'cancelled';
}

export async function watchSubmission(
  id: string, onUpdate: OnUpdate, signal: AbortSignal, onOutput: OnOutput = () => {},
): Promise<Submission> {
  try {
    const last = await streamEvents(id, onUpdate, onOutput, signal);
    if (last && isFinal(last)) return last;
  } catch (error) {
    // Stop on abort and on errors the user must act on (401: wrong key); poll otherwise.
    if (signal.aborted) throw error;
    if (error instanceof ResponseError && error.response.status !== 404) throw error;
  }
  return poll(id, onUpdate, signal);
}

async function streamEvents(
  id: string, onUpdate: OnUpdate, onOutput: OnOutput, signal: AbortSignal,
): Promise<Submission | undefined> {
  const response = await fetch(`/v1/submissions/${encodeURIComponent(id)}/events`, {
    headers: { ...authHeaders(), Accept: 'text/event-stream' },
    cache: 'no-store',
    signal,
  });
  if (!response.ok || !response.body) throw new ResponseError(response, `event stream answered ${response.status}`);
  let last: Submission | undefined;
  for await (const event of readEvents(response.body)) {
    if (event.event === 'output') {
      onOutput(OutputChunkFromJSON(JSON.parse(event.data)));
      continue;
    }
    if (event.event !== 'submission') continue;
    last = SubmissionFromJSON(JSON.parse(event.data));
    onUpdate(last, 'live');
    if (isFinal(last)) break; // the server ends the stream here too; don't wait for it
  }
  return last;
}

export const POLL_INTERVAL_MS = 1000;
// Transient failures (the api restarting, a 503) are retried this many times in a row.
export const POLL_RETRIES = 10;

async function poll(id: string, onUpdate: OnUpdate, signal: AbortSignal): Promise<Submission> {
  let failures = 0;
  for (;;) {
    try {
      const submission = await submissions.getSubmission({ id }, { signal, cache: 'no-store' });
      failures = 0;
      onUpdate(submission, 'polling');
      if (isFinal(submission)) return submission;
    } catch (error) {
      if (signal.aborted || !isTransient(error) || ++failures > POLL_RETRIES) throw error;
    }
    await sleep(POLL_INTERVAL_MS, signal);
  }
}

export function isTransient(error: unknown): boolean {
  if (error instanceof ResponseError) return error.response.status >= 500;
  return true; // network errors (FetchError, TypeError)
}

export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(signal.reason);
    }, { once: true });
  });
}
