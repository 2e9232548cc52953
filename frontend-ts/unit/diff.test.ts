// The tests panel's line diff (src/diff.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lineDiff, splitLines, type DiffLine } from '../src/diff.ts';

/** A diff as "  same", "- expected", "+ actual" lines, as the page shows it. */
function show(lines: DiffLine[]): string[] {
  return lines.map((l) => `${l.kind === 'same' ? ' ' : l.kind === 'expected' ? '-' : '+'} ${l.text}${l.noNewline ? ' (no newline at end)' : ''}`);
}

test('a final newline ends the last line, it does not make an empty one', () => {
  assert.deepEqual(splitLines(''), []);
  assert.deepEqual(splitLines('a'), ['a']);
  assert.deepEqual(splitLines('a\n'), ['a']);
  assert.deepEqual(splitLines('a\n\nb\n'), ['a', '', 'b']);
});

test('equal outputs are all shared lines', () => {
  assert.deepEqual(show(lineDiff('1\n2\n', '1\n2\n')), ['  1', '  2']);
});

test('one changed line between shared ones', () => {
  assert.deepEqual(show(lineDiff('6\nend\n', '7\nend\n')), ['- 6', '+ 7', '  end']);
  assert.deepEqual(show(lineDiff('a\nb\nc\n', 'a\nx\nc\n')), ['  a', '- b', '+ x', '  c']);
});

test('missing and extra lines', () => {
  assert.deepEqual(show(lineDiff('a\nb\nc\n', 'a\nc\n')), ['  a', '- b', '  c']);
  assert.deepEqual(show(lineDiff('a\nc\n', 'a\nb\nc\n')), ['  a', '+ b', '  c']);
  assert.deepEqual(show(lineDiff('a\nb\n', '')), ['- a', '- b']);
  assert.deepEqual(show(lineDiff('', 'oops\n')), ['+ oops']);
});

test('the longest run of shared lines is kept, not the first match', () => {
  assert.deepEqual(show(lineDiff('x\na\nb\nc\n', 'a\nb\nc\nx\n')), ['- x', '  a', '  b', '  c', '+ x']);
});

test('trailing_whitespace ignores trailing spaces, tabs, carriage returns and blank lines at the end', () => {
  assert.deepEqual(show(lineDiff('1\n2\n', '1  \r\n2\t\n\n\n', 'trailing_whitespace')), ['  1  \r', '  2\t']);
  // Leading whitespace and blank lines in between still count.
  assert.deepEqual(show(lineDiff('1\n2\n', ' 1\n\n2\n', 'trailing_whitespace')), ['- 1', '+  1', '+ ', '  2']);
});

test('whitespace compares the words of each line and drops blank lines', () => {
  assert.deepEqual(show(lineDiff('1 2\n3\n', '  1\t 2 \n\n3', 'whitespace')), ['    1\t 2 ', '  3']);
  assert.deepEqual(show(lineDiff('1 2\n', '1 3\n', 'whitespace')), ['- 1 2', '+ 1 3']);
});

test('exact counts trailing spaces and the final newline', () => {
  assert.deepEqual(show(lineDiff('1\n', '1 \n', 'exact')), ['- 1', '+ 1 ']);
  assert.deepEqual(show(lineDiff('4\n', '4', 'exact')), ['- 4', '+ 4 (no newline at end)']);
  assert.deepEqual(show(lineDiff('4', '4', 'exact')), ['  4']);
});

test('the default mode is the server\'s default, trailing_whitespace', () => {
  assert.deepEqual(show(lineDiff('a\n', 'a   \n')), ['  a   ']);
});

test('long outputs are diffed without building a table past the cap', () => {
  const expected = Array.from({ length: 3000 }, (_, i) => `line ${i}`).join('\n');
  const actual = Array.from({ length: 3000 }, (_, i) => `other ${i}`).join('\n');
  const diff = lineDiff(`head\n${expected}\ntail\n`, `head\n${actual}\ntail\n`);
  assert.equal(diff.length, 6002);
  assert.deepEqual(diff[0], { kind: 'same', text: 'head' });
  assert.equal(diff.filter((l) => l.kind === 'expected').length, 3000);
  assert.equal(diff.filter((l) => l.kind === 'actual').length, 3000);
  assert.deepEqual(diff.at(-1), { kind: 'same', text: 'tail' });
});
