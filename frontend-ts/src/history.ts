// The caller's own submissions (GET /v1/submissions), newest first, filtered by status,
// runtime and verdict, one page at a time ("Load more" follows next_cursor).
import { submissions } from './api';
import { clear, el } from './dom';
import type { ListSubmissionsRequest, Submission, SubmissionStatus, Verdict } from './generated';

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

  private item(s: Submission): HTMLLIElement {
    const open = el('button', { type: 'button', class: 'history-item', 'data-id': s.id },
      el('span', { class: 'history-runtime' }, s.runtime),
      el('span', { class: `badge status-${s.status}` }, s.status),
      s.verdict ? el('span', { class: `badge verdict-${s.verdict}` }, s.verdict) : null,
      el('time', { datetime: s.created_at.toISOString() }, s.created_at.toLocaleString()));
    open.setAttribute('aria-label', `${s.runtime} submission of ${s.created_at.toLocaleString()}: ${s.verdict ?? s.status}`);
    open.addEventListener('click', () => this.onOpen(s.id));
    return el('li', {}, open);
  }
}
