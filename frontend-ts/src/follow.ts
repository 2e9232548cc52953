// Follows one thing the API runs (a submission, an evaluation) until it is final: live over its
// event stream, else by polling its GET once a second. Polling takes over when the server has no
// stream (404), or the stream breaks (a proxy cut it, the api restarted) or ends before the final
// state (the server ends a stream after a while).
import { authHeaders } from './api';
import { ResponseError } from './generated';
import { readEvents, type SseEvent } from './sse';

export type Via = 'live' | 'polling';

/** What is followed, and how it is read. */
export interface Followed<T> {
  /** Its event stream, e.g. /v1/submissions/{id}/events. */
  events: string;
  /** The name of the events that carry its state. */
  stateEvent: string;
  /** A state event's data as the model. */
  parse: (data: string) => T;
  /** One read of it by GET, for polling. */
  read: (signal: AbortSignal) => Promise<T>;
  isFinal: (state: T) => boolean;
  /** The stream's other events (a submission's output), if any matter. */
  onOtherEvent?: (event: SseEvent) => void;
}

const POLL_INTERVAL_MS = 1000;
// Transient failures (the api restarting, a 503) are retried this many times in a row.
const POLL_RETRIES = 10;

export async function follow<T>(followed: Followed<T>, onUpdate: (state: T, via: Via) => void, signal: AbortSignal): Promise<T> {
  try {
    const last = await stream(followed, onUpdate, signal);
    if (last !== undefined && followed.isFinal(last)) return last;
  } catch (error) {
    // Stop on abort and on errors the user must act on (401: wrong key); poll otherwise.
    if (signal.aborted) throw error;
    if (error instanceof ResponseError && error.response.status !== 404) throw error;
  }
  return poll(followed, onUpdate, signal);
}

async function stream<T>(followed: Followed<T>, onUpdate: (state: T, via: Via) => void, signal: AbortSignal): Promise<T | undefined> {
  const response = await fetch(followed.events, {
    headers: { ...authHeaders(), Accept: 'text/event-stream' },
    cache: 'no-store',
    signal,
  });
  if (!response.ok || !response.body) throw new ResponseError(response, `event stream answered ${response.status}`);
  let last: T | undefined;
  for await (const event of readEvents(response.body)) {
    if (event.event !== followed.stateEvent) {
      followed.onOtherEvent?.(event);
      continue;
    }
    last = followed.parse(event.data);
    onUpdate(last, 'live');
    if (followed.isFinal(last)) break; // the server ends the stream here too; don't wait for it
  }
  return last;
}

async function poll<T>(followed: Followed<T>, onUpdate: (state: T, via: Via) => void, signal: AbortSignal): Promise<T> {
  let failures = 0;
  for (;;) {
    try {
      const state = await followed.read(signal);
      failures = 0;
      onUpdate(state, 'polling');
      if (followed.isFinal(state)) return state;
    } catch (error) {
      if (signal.aborted || !isTransient(error) || ++failures > POLL_RETRIES) throw error;
    }
    await sleep(POLL_INTERVAL_MS, signal);
  }
}

function isTransient(error: unknown): boolean {
  if (error instanceof ResponseError) return error.response.status >= 500;
  return true; // network errors (FetchError, TypeError)
}

/** Waits, or rejects with the signal's reason once it is aborted. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(signal.reason);
    }, { once: true });
  });
}
