// The sessions view's terminal: a log of the lines run, each with its output and how it ended,
// and notes and problems between them. A command's output shows as it arrives over the event
// stream while it runs; its result replaces that (the record: exact bytes, truncation, stdout
// and stderr apart). stderr is set apart by colour and a border, and named for screen readers.
import { ansiNodes } from './ansi-view';
import { el } from './dom';
import type { Command, CommandOutputChunk, OutputEncoding } from './generated';
import { decodeOutput } from './output';
import { showProblem } from './problem';
import { commandSummary, outputParts, truncationNote, type OutputPart } from './session-text';

export class Terminal {
  constructor(private readonly log: HTMLElement) {}

  clear(): void {
    this.log.replaceChildren();
  }

  note(text: string): void {
    this.add(el('p', { class: 'term-note' }, text));
  }

  /** The session's end, set apart from the notes: nothing more can run. */
  ended(text: string): void {
    this.add(el('p', { class: 'term-ended', 'data-field': 'session-ended' }, text));
  }

  async problem(error: unknown): Promise<void> {
    this.add(await problemBox(error));
  }

  /** A line being run: shown at once, its output and end filled in later. */
  begin(line: string): TerminalEntry {
    const entry = new TerminalEntry(line, () => this.scrollToEnd());
    this.add(entry.node);
    return entry;
  }

  private add(node: HTMLElement): void {
    this.log.append(node);
    this.scrollToEnd();
  }

  private scrollToEnd(): void {
    this.log.scrollTop = this.log.scrollHeight;
  }
}

export class TerminalEntry {
  readonly node: HTMLElement;
  private live: HTMLElement | undefined;
  private done = false;

  constructor(line: string, private readonly changed: () => void) {
    this.node = el('div', { class: 'term-entry', 'data-status': 'running' },
      el('div', { class: 'term-prompt', 'data-field': 'command-line' }, el('span', { 'aria-hidden': 'true' }, '$ '), line));
  }

  /** A chunk of its output as it is printed; ignored once the result is in. */
  output(chunk: CommandOutputChunk): void {
    if (this.done) return;
    if (!this.live) {
      this.live = el('pre', { class: 'term-live', 'data-field': 'command-live' });
      this.node.append(this.live);
    }
    this.live.append(el('span', { class: `term-${chunk.stream}` }, ...ansiNodes(chunk.text)));
    if (chunk.capped) this.live.append(el('span', { class: 'term-part' }, '\n— more output is in the result —\n'));
    this.changed();
  }

  finish(command: Command): void {
    this.done = true;
    this.live?.remove();
    this.node.dataset.status = command.status;
    this.node.append(...outputParts(command).flatMap(outputBlock),
      el('p', { class: 'term-summary', 'data-field': 'command-summary' }, commandSummary(command)));
    this.changed();
  }

  /** The command could not be run (a Problem) or its result not read: said in its place; what arrived live stays. */
  async fail(error: unknown): Promise<void> {
    this.done = true;
    this.node.dataset.status = 'failed';
    this.node.append(await problemBox(error));
    this.changed();
  }
}

/** A Problem as the page shows it elsewhere (problem.ts), boxed in the log. */
async function problemBox(error: unknown): Promise<HTMLElement> {
  const box = el('div', { class: 'problem term-problem' });
  await showProblem(box, error);
  return box;
}

function outputBlock(part: OutputPart): HTMLElement[] {
  // The part's encoding is the Command's own field, so it is one of the contract's.
  const out = decodeOutput(part.value, part.encoding as OutputEncoding | undefined);
  const note = [out.binary ? `binary, ${out.bytes ?? '?'} bytes, shown as UTF-8.` : undefined, truncationNote(part)]
    .filter(Boolean).join(' ');
  const blocks: HTMLElement[] = [];
  // Outside the <pre>, so its text stays the output alone.
  if (part.stream === 'stderr') blocks.push(el('span', { class: 'sr-only' }, 'Standard error:'));
  blocks.push(el('pre', { class: `term-${part.stream}`, 'data-field': `command-${part.stream}` }, ...ansiNodes(out.text)));
  if (note) blocks.push(el('p', { class: 'term-note' }, note));
  return blocks;
}
