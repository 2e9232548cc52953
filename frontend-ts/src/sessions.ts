// The sessions panel: start a sandbox that keeps its files between commands (POST /v1/sessions),
// run lines in it from a terminal-like box (each as `sh -c <line>`, ?wait=true), keep it alive,
// end it. Its state comes from every answer that carries it and, live, from its event stream
// (session-watch.ts); without the stream the page still reads it by GET after each command and
// when expires_at comes, so an idle or maximum-lifetime end shows either way. The address
// becomes #/t/<id> (t for terminal; s is a submission's), so a reload opens the same session
// instead of leaving it to idle out unseen, and the typed lines are kept for it in this tab.
import { sessions } from './api';
import { CommandHistory } from './command-history';
import { el } from './dom';
import { sleep } from './follow';
import type { Command, CommandOutputChunk, Session } from './generated';
import { getKey } from './key';
import { endedText, sessionStatusText } from './session-text';
import { Terminal, type TerminalEntry } from './session-terminal';
import { watchSession } from './session-watch';

export interface SessionElements {
  startForm: HTMLFormElement;
  runtime: HTMLSelectElement;
  start: HTMLButtonElement;
  keepalive: HTMLButtonElement;
  end: HTMLButtonElement;
  status: HTMLElement; // role="status"
  facts: HTMLElement;
  log: HTMLElement; // role="log"
  commandForm: HTMLFormElement;
  command: HTMLInputElement;
}

export const SESSION_LINK = /^#\/t\/([0-9a-f-]{36})$/i;

const HISTORY_STORAGE = 'crucible.sessionHistory.';
const COMMAND_POLL_MS = 1000;
const STARTING_POLL_MS = 1000;
// The session is read this long after its expires_at, by when the server has ended it.
const EXPIRY_GRACE_MS = 2000;

/** The line being run; its id is known from the event stream before the POST answers, if there is a stream. */
interface Running {
  entry: TerminalEntry;
  argv: string[];
  id?: string;
}

export class Sessions {
  private readonly terminal: Terminal;
  private session: Session | undefined;
  private watching: AbortController | undefined;
  private running: Running | undefined;
  private history = new CommandHistory();
  private expiryCheck: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly ui: SessionElements) {
    this.terminal = new Terminal(ui.log);
    ui.startForm.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.start();
    });
    ui.keepalive.addEventListener('click', () => void this.update((id) => sessions.keepSessionAlive({ id })));
    ui.end.addEventListener('click', () => void this.update((id) => sessions.endSession({ id })));
    ui.commandForm.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.run(ui.command.value);
    });
    ui.command.addEventListener('keydown', (event) => this.recall(event));
  }

  /** Opens a session by id (from #/t/<id>) unless it is the one shown. */
  async open(id: string): Promise<void> {
    if (this.session?.id === id) return;
    try {
      this.begin(await sessions.getSession({ id }), true);
    } catch (error) {
      await this.terminal.problem(error);
    }
  }

  private async start(): Promise<void> {
    if (!getKey()) {
      await this.terminal.problem('Enter your API key first.');
      return;
    }
    this.ui.start.disabled = true;
    try {
      const session = await sessions.createSession({ sessionRequest: { runtime: this.ui.runtime.value } });
      window.history.replaceState(null, '', `#/t/${session.id}`);
      this.begin(session, false);
    } catch (error) {
      await this.terminal.problem(error);
      this.ui.start.disabled = false;
    }
  }

  private begin(session: Session, reopened: boolean): void {
    this.stopWatching();
    this.session = undefined;
    this.running = undefined;
    this.history = new CommandHistory(storedHistory(session.id));
    this.terminal.clear();
    if (reopened) this.terminal.note(`Session ${session.id} reopened; the page kept no output of its earlier commands.`);
    this.show(session);
    if (session.status === 'ended') return;
    const controller = new AbortController();
    this.watching = controller;
    // An event already read when the session was left for another is not shown over it.
    void watchSession(session.id, {
      session: (s) => {
        if (!controller.signal.aborted) this.show(s);
      },
      command: (c) => {
        if (!controller.signal.aborted) this.claim(c);
      },
      output: (chunk) => {
        if (!controller.signal.aborted) this.output(chunk);
      },
    }, controller.signal);
    if (session.status === 'starting') void this.untilStarted(session.id, controller.signal);
  }

  /** Shows the session's latest state; one of another session (an answer that came late) is dropped. */
  private show(s: Session): void {
    if (this.session && this.session.id !== s.id) return;
    const was = this.session?.status;
    this.session = s;
    this.ui.status.textContent = sessionStatusText(s);
    this.ui.status.dataset.status = s.status;
    renderFacts(this.ui.facts, s);
    const ended = s.status === 'ended';
    this.ui.start.disabled = !ended;
    this.ui.end.hidden = ended;
    this.ui.keepalive.hidden = s.status !== 'ready';
    this.ui.command.disabled = s.status !== 'ready' || this.running !== undefined;
    clearTimeout(this.expiryCheck);
    if (ended) {
      if (was !== 'ended') this.terminal.ended(endedText(s));
      sessionStorage.removeItem(HISTORY_STORAGE + s.id);
      this.stopWatching();
      return;
    }
    if (s.status === 'ready' && was !== 'ready') this.ui.command.focus();
    const untilExpiry = s.expires_at.getTime() - Date.now();
    this.expiryCheck = setTimeout(() => void this.refresh(), Math.max(0, untilExpiry) + EXPIRY_GRACE_MS);
  }

  /** A call that answers with the session (GET, keepalive, DELETE): shown, or its problem in the terminal. */
  private async update(call: (id: string) => Promise<Session>): Promise<boolean> {
    const id = this.session?.id;
    if (!id) return false;
    try {
      this.show(await call(id));
      return true;
    } catch (error) {
      await this.terminal.problem(error);
      return false;
    }
  }

  private refresh(): Promise<boolean> {
    return this.update((id) => sessions.getSession({ id }, { cache: 'no-store' }));
  }

  /** POST /v1/sessions answers `starting` when the sandbox took more than about 10 s: read it until it is ready or ended. */
  private async untilStarted(id: string, signal: AbortSignal): Promise<void> {
    while (!signal.aborted && this.session?.id === id && this.session.status === 'starting') {
      try {
        await sleep(STARTING_POLL_MS, signal);
      } catch {
        return;
      }
      if (!(await this.refresh())) return;
    }
  }

  private async run(line: string): Promise<void> {
    const session = this.session;
    if (!session || session.status !== 'ready' || this.running || line.trim() === '') return;
    this.history.add(line);
    storeHistory(session.id, this.history.entries());
    this.ui.command.value = '';
    this.ui.command.disabled = true;
    const running: Running = { entry: this.terminal.begin(line), argv: ['sh', '-c', line] };
    this.running = running;
    try {
      let command = await sessions.runSessionCommand({ id: session.id, wait: true, commandRequest: { argv: running.argv } });
      running.id = command.id;
      // ?wait=true waits only as long as the server's longest wait: a longer command is read until it ends.
      while (command.status === 'running') {
        await sleep(COMMAND_POLL_MS);
        command = await sessions.getSessionCommand({ id: session.id, command: command.id }, { cache: 'no-store' });
      }
      running.entry.finish(command);
    } catch (error) {
      await running.entry.fail(error);
    } finally {
      if (this.running === running) this.running = undefined;
    }
    // The command moved expires_at, and may have ended the session (its sandbox out of memory).
    await this.refresh();
    this.ui.command.disabled = this.session?.status !== 'ready' || this.running !== undefined;
    // The focus went when the input was disabled; it comes back unless the user put it elsewhere.
    if (!this.ui.command.disabled && (document.activeElement === document.body || document.activeElement === null)) {
      this.ui.command.focus();
    }
  }

  /** The stream names a command that started: the one being run, if it is its argv, so its output can show. */
  private claim(c: Command): void {
    const running = this.running;
    if (running && running.id === undefined && c.status === 'running'
      && JSON.stringify(c.argv) === JSON.stringify(running.argv)) running.id = c.id;
  }

  private output(chunk: CommandOutputChunk): void {
    if (this.running && chunk.command === this.running.id) this.running.entry.output(chunk);
  }

  /** ArrowUp and ArrowDown recall the lines run before, as in a shell. */
  private recall(event: KeyboardEvent): void {
    if (event.isComposing || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    const line = event.key === 'ArrowUp' ? this.history.previous(this.ui.command.value)
      : event.key === 'ArrowDown' ? this.history.next() : undefined;
    if (line === undefined) return;
    event.preventDefault();
    this.ui.command.value = line;
    this.ui.command.setSelectionRange(line.length, line.length);
  }

  private stopWatching(): void {
    this.watching?.abort();
    this.watching = undefined;
  }
}

function renderFacts(container: HTMLElement, s: Session): void {
  const ends = s.ended_at
    ? [el('dt', {}, 'Ended'), el('dd', { 'data-field': 'session-ended-at' }, s.ended_at.toLocaleString())]
    : [el('dt', {}, 'Ends'), el('dd', {},
      el('time', { 'data-field': 'session-expires', datetime: s.expires_at.toISOString() }, s.expires_at.toLocaleString()),
      ' unless a command or Keep alive comes first')];
  container.replaceChildren(el('dl', { class: 'summary' },
    el('dt', {}, 'ID'), el('dd', {}, el('code', { 'data-field': 'session-id' }, s.id)),
    el('dt', {}, 'Runtime'), el('dd', {}, s.runtime),
    ...ends));
  container.hidden = false;
}

function storedHistory(id: string): string[] {
  try {
    const lines: unknown = JSON.parse(sessionStorage.getItem(HISTORY_STORAGE + id) ?? '[]');
    return Array.isArray(lines) ? lines.filter((line): line is string => typeof line === 'string') : [];
  } catch {
    return []; // not JSON: another version of the page wrote it
  }
}

function storeHistory(id: string, lines: string[]): void {
  try {
    sessionStorage.setItem(HISTORY_STORAGE + id, JSON.stringify(lines));
  } catch {
    // Storage full or refused: the lines stay in memory for this page.
  }
}
