// A line diff of a test's expected output against what the program printed, for the tests
// panel. Lines are compared the way the submission's `compare` mode compares output, so the
// diff marks the lines that made the answer wrong and not the differences the server ignored.
// Pure (no DOM): unit/diff.test.ts runs it under node --test.

export type CompareMode = 'exact' | 'trailing_whitespace' | 'whitespace';

export type DiffKind = 'same' | 'expected' | 'actual'; // expected: missing from the output; actual: not expected

export interface DiffLine {
  kind: DiffKind;
  text: string;
  /** exact mode only: this last line has no newline after it, and the other side's has one (or the reverse). */
  noNewline?: boolean;
}

interface Line {
  text: string; // as shown
  key: string; // as compared
  noNewline: boolean;
}

/** The lines of a text; a final newline ends the last line, it does not start an empty one. */
export function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

function linesFor(text: string, mode: CompareMode): Line[] {
  const endsWithNewline = text.endsWith('\n');
  let lines = splitLines(text).map((line, i, all): Line => {
    const last = i === all.length - 1;
    switch (mode) {
      case 'exact':
        // The newline is part of the line, so "4" and "4\n" differ, as they do to the server.
        return { text: line, key: last && !endsWithNewline ? line : `${line}\n`, noNewline: last && !endsWithNewline };
      case 'trailing_whitespace':
        return { text: line, key: line.replace(/[ \t\r]+$/, ''), noNewline: false };
      case 'whitespace':
        return { text: line, key: line.trim().split(/\s+/).join(' '), noNewline: false };
    }
  });
  // Blank lines at the end count for nothing in trailing_whitespace; in whitespace no blank line
  // counts anywhere (a run of whitespace, newlines included, is one separator).
  if (mode === 'trailing_whitespace') {
    while (lines.length > 0 && lines[lines.length - 1].key === '') lines.pop();
  } else if (mode === 'whitespace') {
    lines = lines.filter((line) => line.key !== '');
  }
  return lines;
}

// Beyond this many cells the longest-common-subsequence table is not built: outputs are capped
// at 64 KiB, but 5,000 lines against 5,000 would be 25 million cells for a hint on the page.
const MAX_CELLS = 4_000_000;

/** The lines of both, in order: shared ones once, the others marked by the side they come from. */
export function lineDiff(expected: string, actual: string, mode: CompareMode = 'trailing_whitespace'): DiffLine[] {
  const a = linesFor(expected, mode);
  const b = linesFor(actual, mode);
  let start = 0;
  while (start < a.length && start < b.length && a[start].key === b[start].key) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1].key === b[endB - 1].key) {
    endA--;
    endB--;
  }
  const out: DiffLine[] = b.slice(0, start).map(same);
  out.push(...middle(a.slice(start, endA), b.slice(start, endB)));
  out.push(...b.slice(endB).map(same));
  return out;
}

/** A line both have (equal keys), shown as the program printed it: under trailing_whitespace it
 * may carry trailing spaces the comparison ignored. */
function same(printed: Line): DiffLine {
  return { kind: 'same', text: printed.text };
}

function changed(kind: 'expected' | 'actual', line: Line): DiffLine {
  return line.noNewline ? { kind, text: line.text, noNewline: true } : { kind, text: line.text };
}

/** The differing middle part, by the longest common subsequence of its lines. */
function middle(a: Line[], b: Line[]): DiffLine[] {
  const n = a.length;
  const m = b.length;
  if (n === 0 || m === 0 || (n + 1) * (m + 1) > MAX_CELLS) {
    return [...a.map((line) => changed('expected', line)), ...b.map((line) => changed('actual', line))];
  }
  // lcs[i][j]: the longest common subsequence of a[i..] and b[j..], in one flat array.
  const width = m + 1;
  const lcs = new Uint32Array((n + 1) * width);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i * width + j] = a[i].key === b[j].key
        ? lcs[(i + 1) * width + j + 1] + 1
        : Math.max(lcs[(i + 1) * width + j], lcs[i * width + j + 1]);
    }
  }
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i].key === b[j].key) {
      out.push(same(b[j]));
      i++;
      j++;
    } else if (lcs[(i + 1) * width + j] >= lcs[i * width + j + 1]) {
      out.push(changed('expected', a[i++])); // what was expected comes before what was printed instead
    } else {
      out.push(changed('actual', b[j++]));
    }
  }
  while (i < n) out.push(changed('expected', a[i++]));
  while (j < m) out.push(changed('actual', b[j++]));
  return out;
}
