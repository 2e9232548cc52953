// Watches a session over its event stream (GET /v1/sessions/{id}/events, read with fetch as
// sse.ts says why): its state, its commands starting and ending, their output as it is printed.
// Unlike a submission, a session lives on for many minutes and the server ends a stream after 10,
// so the stream is opened again until the session has ended. Watching is an extra, never needed:
// without a stream (a 404 from a server that has none, a 401) or when it keeps breaking, this
// stops quietly, and the view still learns the session's state by GET and a command's result
// from its own POST.
import { authHeaders } from './api';
import { sleep } from './follow';
import {
  CommandFromJSON, CommandOutputChunkFromJSON, ResponseError, SessionFromJSON,
  type Command, type CommandOutputChunk, type Session,
} from './generated';
import { readEvents } from './sse';

export interface SessionListener {
  session: (session: Session) => void;
  command: (command: Command) => void;
  output: (chunk: CommandOutputChunk) => void;
}

const RECONNECT_MS = 1000;
// Streams in a row that broke before bringing anything.
const ATTEMPTS = 5;

export async function watchSession(id: string, listener: SessionListener, signal: AbortSignal): Promise<void> {
  let failures = 0;
  // The last event's id, sent back on reconnecting: the server goes on after it (no output twice, no end missed).
  const position: { lastEventId?: string } = {};
  while (!signal.aborted) {
    try {
      const { ended, heard } = await stream(id, listener, signal, position);
      if (ended) return;
      failures = heard ? 0 : failures + 1;
    } catch (error) {
      if (signal.aborted) return;
      if (error instanceof ResponseError && error.response.status < 500) return;
      failures += 1;
    }
    if (failures >= ATTEMPTS) return;
    await sleep(RECONNECT_MS, signal).catch(() => {});
  }
}

async function stream(id: string, listener: SessionListener, signal: AbortSignal,
                      position: { lastEventId?: string }): Promise<{ ended: boolean; heard: boolean }> {
  const resume: Record<string, string> = position.lastEventId === undefined ? {} : { 'Last-Event-ID': position.lastEventId };
  const response = await fetch(`/v1/sessions/${encodeURIComponent(id)}/events`, {
    headers: { ...authHeaders(), Accept: 'text/event-stream', ...resume },
    cache: 'no-store',
    signal,
  });
  if (!response.ok || !response.body) throw new ResponseError(response, `event stream answered ${response.status}`);
  let heard = false;
  for await (const event of readEvents(response.body)) {
    heard = true;
    if (event.id !== undefined) position.lastEventId = event.id;
    if (event.event === 'session') {
      const session = SessionFromJSON(JSON.parse(event.data));
      listener.session(session);
      if (session.status === 'ended') return { ended: true, heard };
    } else if (event.event === 'command') {
      listener.command(CommandFromJSON(JSON.parse(event.data)));
    } else if (event.event === 'output') {
      listener.output(CommandOutputChunkFromJSON(JSON.parse(event.data)));
    }
  }
  return { ended: false, heard };
}
