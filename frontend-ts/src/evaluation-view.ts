// Renders one Evaluation: a progress bar, the done samples by verdict, pass@k over all problems
// once every sample is done, and a table of problems (n, done, c, and a column per k). Built
// afresh on every update (at most one a second); the data-* attributes are for the e2e tests.
import { clear, el } from './dom';
import type { Evaluation, EvaluationProblemResult } from './generated';
import { passAtKText, progressText, verdictCounts } from './evaluation-text';
import { isFinalEvaluation } from './evaluation-watch';

export function renderEvaluation(container: HTMLElement, e: Evaluation): void {
  clear(container);
  const running = !isFinalEvaluation(e);
  const label = progressText(e.progress, running);
  container.append(
    el('div', { class: 'evaluation-progress' },
      el('progress', {
        'data-field': 'evaluation-progress', max: String(e.progress.total), value: String(e.progress.done), 'aria-label': label,
      }),
      el('span', { 'data-field': 'evaluation-progress-text' }, label)),
    verdicts(e.progress.by_verdict),
  );
  if (e.message) container.append(el('p', { class: 'message', 'data-field': 'evaluation-message' }, e.message));
  if (e.pass_at_k) container.append(overall(e));
  container.append(problemsTable(e));
  container.append(el('p', { class: 'note' }, 'ID ', el('code', { 'data-field': 'evaluation-id' }, e.id),
    ` · ${e.runtime} · started ${e.created_at.toLocaleString()}`,
    e.finished_at ? ` · finished ${e.finished_at.toLocaleString()}` : ''));
}

function verdicts(byVerdict: Record<string, number>): HTMLElement {
  const counts = verdictCounts(byVerdict);
  if (counts.length === 0) return el('p', { class: 'note', 'data-field': 'evaluation-verdicts' }, 'No sample has finished yet.');
  return el('ul', { class: 'evaluation-verdicts', 'data-field': 'evaluation-verdicts', 'aria-label': 'Done samples by verdict' },
    ...counts.map(([verdict, count]) => el('li', { 'data-verdict': verdict },
      el('span', { class: `badge verdict-${verdict}` }, verdict), ` ${count}`)));
}

function overall(e: Evaluation): HTMLElement {
  const dl = el('dl', { class: 'summary', 'data-field': 'evaluation-pass-at-k' });
  for (const k of e.k) dl.append(el('dt', {}, `pass@${k}`), el('dd', { 'data-k': String(k) }, passAtKText(e.pass_at_k, k)));
  return el('section', {}, el('h3', {}, 'Over all problems'), dl);
}

function problemsTable(e: Evaluation): HTMLElement {
  const head = el('tr', {},
    el('th', { scope: 'col' }, 'Problem'),
    ...['n', 'done', 'c'].map((h) => el('th', { scope: 'col', class: 'num' }, h)),
    ...e.k.map((k) => el('th', { scope: 'col', class: 'num' }, `pass@${k}`)));
  return el('section', {},
    el('h3', {}, 'Problems'),
    el('div', { class: 'table-scroll' },
      el('table', { class: 'evaluation-problems', 'data-field': 'evaluation-problems' },
        el('thead', {}, head),
        el('tbody', {}, ...e.problems.map((p) => problemRow(p, e.k))))));
}

function problemRow(p: EvaluationProblemResult, ks: number[]): HTMLTableRowElement {
  const complete = p.done === p.n;
  return el('tr', { 'data-problem': p.id, 'data-complete': complete ? 'true' : 'false' },
    el('th', { scope: 'row' }, el('code', {}, p.id)),
    el('td', { class: 'num', 'data-col': 'n' }, String(p.n)),
    el('td', { class: 'num', 'data-col': 'done' }, String(p.done)),
    el('td', { class: 'num', 'data-col': 'c' }, String(p.c)),
    ...ks.map((k) => el('td', { class: 'num', 'data-k': String(k) }, passAtKText(p.pass_at_k, k))));
}
