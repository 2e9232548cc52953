// The caller's own submissions (GET /v1/submissions), newest first, filtered by status,
// runtime and verdict, one page at a time ("Load more" follows next_cursor). A row names the
// submission by its source's first line when this tab sent it (the list carries no source),
// else by the start of its id, and shows how long it ran. The row of a run the page follows is
// updated with every change it sees (upsert), in place, so a focused row keeps its focus.
import { submissions } from './api';
import { append, clear, el } from './dom';
import type { ListSubmissionsRequest, Submission, SubmissionStatus, Verdict } from './generated';
import { sentLabel } from './sent';

const PAGE_SIZE = 20;

export interface HistoryElements {
  list: HTMLOListElement;
  status: HTMLSelectElement;
  runtime: HTMLSelectElement;
  verdict: HTMLSelectElement;
  loadMore: HTMLButtonElement;
  note: HTMLElement; // "no submissions" and similar, aria-live
}

export class History {
  private cursor: string | undefined;

  constructor(
    private readonly ui: HistoryElements,
    private readonly onOpen: (id: string) => void,
    private readonly onError: (error: unknown) => void,
  ) {
    ui.loadMore.addEventListener('click', () => void this.load(false));
  }

  /** Loads the first page (again), e.g. after a filter change or a new submission. */
  refresh(): Promise<void> {
    return this.load(true);
  }

  private async load(fromStart: boolean): Promise<void> {
    const query: ListSubmissionsRequest = {
      status: (this.ui.status.value || undefined) as SubmissionStatus | undefined,
      runtime: this.ui.runtime.value || undefined,
      verdict: (this.ui.verdict.value || undefined) as Verdict | undefined,
      limit: PAGE_SIZE,
      cursor: fromStart ? undefined : this.cursor,
    };
    this.ui.loadMore.disabled = true;
    try {
      const page = await submissions.listSubmissions(query);
      if (fromStart) clear(this.ui.list);
      this.ui.list.append(...page.items.map((s) => this.item(s)));
      this.cursor = page.next_cursor;
      this.ui.note.textContent = this.ui.list.childElementCount === 0 ? 'No submissions yet.' : '';
    } catch (error) {
      this.onError(error);
    } finally {
      this.ui.loadMore.hidden = !this.cursor;
      this.ui.loadMore.disabled = false;
    }
  }

  /** Shows the submission's latest state: its row updated, or a new row on top if the filters admit it. */
  upsert(s: Submission): void {
    const row = [...this.ui.list.querySelectorAll<HTMLButtonElement>('.history-item')].find((b) => b.dataset.id === s.id);
    if (row) {
      fill(row, s);
      return;
    }
    if (!this.admits(s)) return;
    this.ui.list.prepend(this.item(s));
    this.ui.note.textContent = '';
  }

  private admits(s: Submission): boolean {
    const { status, runtime, verdict } = this.ui;
    return (!status.value || status.value === s.status) && (!runtime.value || runtime.value === s.runtime)
      && (!verdict.value || verdict.value === s.verdict);
  }

  private item(s: Submission): HTMLLIElement {
    const open = el('button', { type: 'button', class: 'history-item', 'data-id': s.id });
    fill(open, s);
    open.addEventListener('click', () => this.onOpen(s.id));
    return el('li', {}, open);
  }
}

function fill(button: HTMLButtonElement, s: Submission): void {
  const label = sentLabel(s.id);
  const ran = s.wall_time_ms !== undefined ? duration(s.wall_time_ms) : undefined;
  clear(button);
  append(button,
    el('span', { class: 'history-runtime' }, s.runtime),
    el(label ? 'code' : 'span', { class: 'history-label', title: label ? 'the first line of its source' : 'its id' },
      label ?? `#${s.id.slice(0, 8)}`),
    el('span', { class: `badge status-${s.status}` }, s.status),
    s.verdict ? el('span', { class: `badge verdict-${s.verdict}` }, s.verdict) : null,
    ran ? el('span', { class: 'history-duration', title: 'wall time' }, ran) : null,
    el('time', { datetime: s.created_at.toISOString() }, s.created_at.toLocaleString()));
  button.dataset.status = s.status;
  button.setAttribute('aria-label', [
    `${s.runtime} submission ${label ? `"${label}"` : s.id.slice(0, 8)} of ${s.created_at.toLocaleString()}`,
    s.verdict ?? s.status,
    ran ? `ran ${ran}` : undefined,
  ].filter(Boolean).join(', '));
}

/** Milliseconds as people read them: 98 ms, 1.24 s, 12.5 s. */
export function duration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  const seconds = ms / 1000;
  return `${seconds < 10 ? seconds.toFixed(2) : seconds.toFixed(1)} s`;
}
