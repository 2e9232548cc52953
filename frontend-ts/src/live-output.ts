// The output of a running submission as it arrives over the event stream: one box, stderr in its
// own colour, a line naming the test or run when it changes. Shown until the final result, which
// replaces it with the stored output (the record: exact bytes, truncation).
import { ansiNodes } from './ansi-view';
import { el } from './dom';
import type { OutputChunk } from './generated';

export class LiveOutput {
  private readonly pre = el('pre', { 'data-field': 'live-output', tabindex: '0', 'aria-live': 'polite' });
  private readonly box = el('section', { class: 'output live' }, el('h3', {}, 'Output so far'), this.pre);
  private part: string | undefined;
  private received = 0;

  constructor(readonly submissionId: string) {}

  add(chunk: OutputChunk): void {
    const part = chunk.stage === 'compile' ? 'Compiler' : chunk.test !== undefined ? `Test ${chunk.test + 1}`
      : chunk.run !== undefined ? `Run ${chunk.run + 1}` : undefined;
    if (part !== this.part && part !== undefined) {
      this.pre.append(el('span', { class: 'live-part' }, `${this.received > 0 ? '\n' : ''}— ${part} —\n`));
    }
    this.part = part;
    const span = el('span', { class: `live-${chunk.stream}` }, ...ansiNodes(chunk.text));
    this.pre.append(span);
    if (chunk.capped) this.pre.append(el('span', { class: 'live-part' }, '\n— more output is in the result —\n'));
    this.received += 1;
  }

  /** The box, once something arrived; null before. */
  node(): HTMLElement | null {
    return this.received > 0 ? this.box : null;
  }
}
