// Follows one submission until it is final (follow.ts): its states and, over the event stream,
// its output as the program prints it.
import { submissions } from './api';
import { follow, type Via } from './follow';
import { OutputChunkFromJSON, SubmissionFromJSON, type OutputChunk, type Submission } from './generated';

export type OnUpdate = (submission: Submission, via: Via) => void;
/** A piece of the program's output as it runs (only over the event stream; polling has none). */
export type OnOutput = (chunk: OutputChunk) => void;

export function isFinal(submission: Submission): boolean {
  return submission.status === 'completed' || submission.status === 'cancelled';
}

export function watchSubmission(
  id: string, onUpdate: OnUpdate, signal: AbortSignal, onOutput: OnOutput = () => {},
): Promise<Submission> {
  return follow({
    events: `/v1/submissions/${encodeURIComponent(id)}/events`,
    stateEvent: 'submission',
    parse: (data) => SubmissionFromJSON(JSON.parse(data)),
    read: (s) => submissions.getSubmission({ id }, { signal: s, cache: 'no-store' }),
    isFinal,
    onOtherEvent: (event) => {
      if (event.event === 'output') onOutput(OutputChunkFromJSON(JSON.parse(event.data)));
    },
  }, onUpdate, signal);
}
