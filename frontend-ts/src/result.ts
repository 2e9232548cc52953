// Renders one Submission: its summary, its outputs, its tests and where it ran.
// Fields the page has no special place for (cpu_time_ms, peak_memory_kb, and whatever the
// contract grows) are listed generically, so a new field of the generated model shows up unasked.
import { ansiNodes } from './ansi-view';
import { clear, el } from './dom';
import type { RunResult, Submission } from './generated';
import { decodeOutput } from './output';
import type { SentTests } from './sent';
import { testsSection } from './tests-view';

// Shown in their own place below, or not worth a line of their own.
const SPECIAL = new Set([
  'id', 'status', 'runtime', 'verdict', 'score', 'message',
  'stdout', 'stdout_encoding', 'stdout_truncated_bytes',
  'stderr', 'stderr_encoding', 'stderr_truncated_bytes',
  'compile_output', 'compile_output_encoding',
  'tests', 'provenance', 'limits', 'runs', 'output_files',
]);

/** `sent`: the tests' inputs when this tab sent the submission (the API does not return them). */
export function renderSubmission(container: HTMLElement, s: Submission, sent?: SentTests): void {
  clear(container);
  container.append(summary(s));
  if (s.message) container.append(el('p', { class: 'message', 'data-field': 'message' }, s.message));
  container.append(
    ...[
      outputBlock('Compiler output', 'compile_output', s.compile_output, s.compile_output_encoding),
      outputBlock('Standard output', 'stdout', s.stdout, s.stdout_encoding, s.stdout_truncated_bytes),
      outputBlock('Standard error', 'stderr', s.stderr, s.stderr_encoding, s.stderr_truncated_bytes),
    ].filter((n): n is HTMLElement => n !== null),
  );
  for (const file of s.output_files ?? []) {
    container.append(file.content === undefined
      ? el('p', { class: 'note', 'data-field': 'output_files' }, `Output file ${file.path}: not found (or not a regular file of at most 256 KiB).`)
      : outputBlock(`Output file ${file.path}`, 'output_files', file.content, file.encoding) ?? el('p', { class: 'note' }, `Output file ${file.path} is empty.`));
  }
  if (s.tests && s.tests.length > 0) container.append(testsSection(s.tests, sent));
  if (s.runs && s.runs.length > 0) container.append(runsTable(s.runs));
  if (s.provenance) container.append(details('Where it ran', s.provenance as Record<string, unknown>));
}

function summary(s: Submission): HTMLElement {
  const dl = el('dl', { class: 'summary' });
  const row = (label: string, field: string, value: Node | string) =>
    dl.append(el('dt', {}, label), el('dd', { 'data-field': field }, value));
  row('Status', 'status', el('span', { class: `badge status-${s.status}` }, s.status));
  if (s.verdict) row('Verdict', 'verdict', el('span', { class: `badge verdict-${s.verdict}` }, s.verdict));
  if (s.score) row('Score', 'score', `${s.score.passed} / ${s.score.total} tests passed`);
  row('Runtime', 'runtime', s.runtime);
  if (s.limits) row('Limits', 'limits', limitsText(s.limits as Record<string, unknown>));
  for (const [name, value] of Object.entries(s)) {
    if (SPECIAL.has(name) || value === undefined || value === null || typeof value === 'object' && !(value instanceof Date)) continue;
    row(label(name), name, formatValue(name, value));
  }
  row('ID', 'id', el('code', {}, s.id));
  // Opens the submission in the page for anyone whose key may read it (its owner, an admin).
  row('Share', 'share', el('a', { href: `#/s/${encodeURIComponent(s.id)}` }, 'link to this submission'));
  return dl;
}

function outputBlock(
  title: string, field: string, value: string | undefined, encoding: Submission['stdout_encoding'], truncated?: number,
): HTMLElement | null {
  if (value === undefined || value === '') return null;
  const out = decodeOutput(value, encoding);
  const heading = el('h3', {}, title);
  if (out.binary) heading.append(' ', el('span', { class: 'badge binary' }, `binary, ${out.bytes ?? '?'} bytes, shown as UTF-8`));
  return el('section', { class: 'output' },
    heading,
    el('pre', { 'data-field': field, tabindex: '0' }, ...ansiNodes(out.text)),
    truncated ? el('p', { class: 'note' }, `${truncated} more bytes were cut off.`) : null);
}

function usageCells(r: RunResult): HTMLElement[] {
  return [
    el('td', {}, r.cpu_time_ms !== undefined ? `${r.cpu_time_ms} ms` : ''),
    el('td', {}, r.peak_memory_kb !== undefined ? `${r.peak_memory_kb} KB` : ''),
  ];
}

function runsTable(runs: RunResult[]): HTMLElement {
  const head = el('tr', {}, ...['Run', 'Verdict', 'Exit', 'Time', 'CPU', 'Memory'].map((h) => el('th', { scope: 'col' }, h)));
  const rows = runs.map((r, i) => el('tr', {},
    el('th', { scope: 'row' }, String(i + 1)),
    el('td', {}, el('span', { class: `badge verdict-${r.verdict}` }, r.verdict)),
    el('td', {}, r.exit_code !== undefined ? String(r.exit_code) : r.signal ?? ''),
    el('td', {}, r.wall_time_ms !== undefined ? `${r.wall_time_ms} ms` : ''),
    ...usageCells(r)));
  return el('section', { class: 'tests' },
    el('h3', {}, 'Runs'),
    el('div', { class: 'table-scroll' }, el('table', { 'data-field': 'runs' }, el('thead', {}, head), el('tbody', {}, ...rows))));
}

function details(title: string, fields: Record<string, unknown>): HTMLElement {
  const dl = el('dl', { class: 'summary' });
  for (const [name, value] of Object.entries(fields)) {
    if (value === undefined || value === null) continue;
    const text = typeof value === 'object' ? limitsText(value as Record<string, unknown>) : formatValue(name, value);
    dl.append(el('dt', {}, label(name)), el('dd', {}, text));
  }
  return el('details', { class: 'provenance' }, el('summary', {}, title), dl);
}

function limitsText(limits: Record<string, unknown>): string {
  return Object.entries(limits).filter(([, v]) => v !== undefined).map(([k, v]) => `${label(k)} ${formatValue(k, v)}`).join(', ');
}

function label(name: string): string {
  const words = name.replace(/_(ms|mb|kb|bytes)$/, '').replace(/_/g, ' ').replace(/^cpu\b/, 'CPU');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Units come from the field's name, as the contract names them (wall_time_ms, memory_mb). */
function formatValue(name: string, value: unknown): string {
  if (value instanceof Date) return value.toLocaleString();
  const unit = /_(ms|mb|kb|bytes)$/.exec(name)?.[1];
  const units: Record<string, string> = { ms: 'ms', mb: 'MB', kb: 'KB', bytes: 'bytes' };
  return unit ? `${value} ${units[unit]}` : String(value);
}
