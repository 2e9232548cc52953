// The tests panel: one entry per test with its verdict and figures, and its input, expected and
// actual output; a wrong answer opens with a line diff of expected against actual. A list of
// blocks rather than a table, so it fits the narrow result column at 1280 px and a phone alike.
// The API returns no test's input or expected output: they are known for what this tab sent.
import { ansiNodes } from './ansi-view';
import { lineDiff, type DiffLine } from './diff';
import { el } from './dom';
import type { TestResult } from './generated';
import { decodeOutput } from './output';
import type { SentTests } from './sent';

export function testsSection(results: TestResult[], sent: SentTests | undefined): HTMLElement {
  return el('section', { class: 'tests' },
    el('h3', {}, 'Tests'),
    sent ? null : el('p', { class: 'note' }, 'The tests\' input and expected output were not sent from this tab, so only the output is shown.'),
    el('ol', { class: 'test-results', 'data-field': 'tests' },
      ...results.map((result, i) => testEntry(result, i, sent)),
    ));
}

function testEntry(t: TestResult, index: number, sent: SentTests | undefined): HTMLElement {
  const input = sent?.tests[index];
  const out = decodeOutput(t.stdout, t.stdout_encoding);
  const err = decodeOutput(t.stderr, t.stderr_encoding);
  const passed = t.verdict === 'accepted';
  const figures = [
    t.exit_code !== undefined ? `exit ${t.exit_code}` : t.signal,
    t.wall_time_ms !== undefined ? `${t.wall_time_ms} ms` : undefined,
    t.cpu_time_ms !== undefined ? `CPU ${t.cpu_time_ms} ms` : undefined,
    t.peak_memory_kb !== undefined ? `${t.peak_memory_kb} KB` : undefined,
  ].filter((f): f is string => Boolean(f));
  const body = el('div', { class: 'test-io' },
    input ? block('Input', 'test-stdin', input.stdin ?? '', input.stdin ? undefined : '(none)') : null,
    input?.args && input.args.length > 0 ? block('Arguments', 'test-args', input.args.join('\n')) : null,
    input ? block('Expected output', 'test-expected', input.expected_output, input.expected_output ? undefined : '(empty)') : null,
    outputBlock(out.binary ? 'Actual output (binary, shown as UTF-8)' : 'Actual output', 'test-stdout', out.text, t.stdout_truncated_bytes),
    err.text ? outputBlock('Standard error', 'test-stderr', err.text, t.stderr_truncated_bytes) : null);
  const diff = t.verdict === 'wrong_answer' && input && !out.binary
    ? diffBlock(lineDiff(input.expected_output, out.text, sent.compare))
    : null;
  return el('li', { class: `test-result${passed ? '' : ' failed'}`, 'data-verdict': t.verdict },
    el('div', { class: 'test-head' },
      el('span', { class: 'test-name' }, t.name),
      el('span', { class: `badge verdict-${t.verdict}` }, t.verdict),
      figures.length > 0 ? el('span', { class: 'test-figures' }, figures.join(' · ')) : null),
    el('details', { open: !passed },
      el('summary', {}, input ? 'Input, expected and actual output' : 'Output'),
      body,
      diff));
}

function block(title: string, field: string, text: string, placeholder?: string): HTMLElement {
  return el('section', {},
    el('h4', {}, title),
    el('pre', { 'data-field': field, class: placeholder ? 'empty' : false }, placeholder ?? text));
}

function outputBlock(title: string, field: string, text: string, truncated: number | undefined): HTMLElement {
  const pre = el('pre', { 'data-field': field, class: text ? false : 'empty' });
  pre.append(...(text ? ansiNodes(text) : [document.createTextNode('(nothing)')]));
  return el('section', {},
    el('h4', {}, title),
    pre,
    truncated ? el('p', { class: 'note' }, `${truncated} more bytes were cut off.`) : null);
}

function diffBlock(lines: DiffLine[]): HTMLElement {
  const pre = el('pre', { class: 'diff', 'data-field': 'test-diff' });
  for (const line of lines) pre.append(diffLine(line));
  return el('section', { class: 'test-diff' },
    el('h4', {}, 'Difference'),
    el('p', { class: 'note diff-legend' },
      el('del', {}, '− expected, not printed'), ' ', el('ins', {}, '+ printed, not expected')),
    pre);
}

function diffLine(line: DiffLine): HTMLElement {
  const tag = line.kind === 'expected' ? 'del' : line.kind === 'actual' ? 'ins' : 'span';
  const mark = line.kind === 'expected' ? '−' : line.kind === 'actual' ? '+' : ' ';
  // Carriage returns and trailing blanks decide an exact comparison and are invisible: show them.
  const shown = line.text.replace(/\r/g, '␍');
  const trailing = line.kind === 'same' ? '' : /[ \t]*$/.exec(shown)?.[0] ?? '';
  return el(tag, { class: 'diff-line' },
    el('span', { class: 'diff-mark', 'aria-hidden': 'true' }, mark),
    line.kind === 'same' ? null : el('span', { class: 'sr-only' }, line.kind === 'expected' ? 'expected: ' : 'printed: '),
    shown.slice(0, shown.length - trailing.length),
    trailing ? el('span', { class: 'diff-blank', title: 'trailing whitespace' }, trailing) : null,
    line.noNewline ? el('span', { class: 'diff-note' }, ' (no newline at the end)') : null);
}
