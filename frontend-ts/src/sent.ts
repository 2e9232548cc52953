// What this tab sent, by submission id, for what the API does not send back: each test's input
// and expected output and the compare mode (for the tests panel), and the source's first line
// (a label for the history). The tests stay in memory only (they can be megabytes); the labels
// go to sessionStorage, like the key, so a reload keeps them and closing the tab forgets them.
import type { SubmissionRequest, TestCase } from './generated';
import type { CompareMode } from './diff';

export interface SentTests {
  tests: TestCase[];
  compare: CompareMode;
}

const tests = new Map<string, SentTests>();
const LABELS = 'crucible.labels';
const MAX_LABELS = 200;
const MAX_LABEL_CHARS = 60;

export function rememberSent(id: string, request: SubmissionRequest): void {
  if (request.tests && request.tests.length > 0) {
    tests.set(id, { tests: request.tests, compare: request.compare ?? 'trailing_whitespace' });
  }
  const label = labelOf(request);
  if (!label) return;
  const labels = readLabels().filter(([known]) => known !== id);
  labels.unshift([id, label]);
  try {
    sessionStorage.setItem(LABELS, JSON.stringify(labels.slice(0, MAX_LABELS)));
  } catch {
    // Storage full or refused: the history shows the submission's id instead.
  }
}

export function sentTests(id: string): SentTests | undefined {
  return tests.get(id);
}

export function sentLabel(id: string): string | undefined {
  return readLabels().find(([known]) => known === id)?.[1];
}

/** The first line of the source (or entry file) that is not blank, shortened; else the entry file's name. */
export function labelOf(request: SubmissionRequest): string | undefined {
  const entry = request.files?.[0];
  const source = request.source !== undefined ? (request.source_encoding === 'base64' ? undefined : request.source)
    : entry?.encoding === 'base64' ? undefined : entry?.content;
  const line = source?.split('\n').map((l) => l.trim()).find((l) => l !== '');
  if (line) return line.length > MAX_LABEL_CHARS ? `${line.slice(0, MAX_LABEL_CHARS - 1)}…` : line;
  return request.files?.[0]?.path;
}

function readLabels(): [string, string][] {
  try {
    const parsed: unknown = JSON.parse(sessionStorage.getItem(LABELS) ?? '[]');
    return Array.isArray(parsed)
      ? parsed.filter((e): e is [string, string] => Array.isArray(e) && typeof e[0] === 'string' && typeof e[1] === 'string')
      : [];
  } catch {
    return [];
  }
}
