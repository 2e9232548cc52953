// ArrowUp and ArrowDown in a session's terminal (src/command-history.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CommandHistory, HISTORY_SIZE } from '../src/command-history.ts';

test('up walks from the newest line to the oldest, and stops there', () => {
  const history = new CommandHistory();
  history.add('echo hello > f.txt');
  history.add('cat f.txt');
  assert.equal(history.previous(''), 'cat f.txt');
  assert.equal(history.previous('cat f.txt'), 'echo hello > f.txt');
  assert.equal(history.previous('echo hello > f.txt'), undefined);
});

test('down walks back, and past the newest gives back the half-typed line', () => {
  const history = new CommandHistory(['ls', 'pwd']);
  assert.equal(history.next(), undefined, 'nothing below the line being typed');
  assert.equal(history.previous('ec'), 'pwd');
  assert.equal(history.previous('pwd'), 'ls');
  assert.equal(history.next(), 'pwd');
  assert.equal(history.next(), 'ec');
  assert.equal(history.next(), undefined);
});

test('a line run starts the walk again from the newest', () => {
  const history = new CommandHistory(['a', 'b']);
  history.previous('');
  history.previous('b');
  history.add('c');
  assert.equal(history.previous(''), 'c');
  assert.equal(history.next(), '', 'the draft was the empty line');
});

test('blank lines and a repeat of the newest are not kept', () => {
  const history = new CommandHistory();
  history.add('ls');
  history.add('ls');
  history.add('   ');
  history.add('pwd');
  history.add('ls');
  assert.deepEqual(history.entries(), ['ls', 'pwd', 'ls']);
});

test('no history: nothing to recall', () => {
  const history = new CommandHistory();
  assert.equal(history.previous('typed'), undefined);
  assert.equal(history.next(), undefined);
});

test(`at most ${HISTORY_SIZE} lines, the oldest dropped first, also of stored ones`, () => {
  const many = Array.from({ length: HISTORY_SIZE + 5 }, (_, i) => `echo ${i}`);
  assert.deepEqual(new CommandHistory(many).entries(), many.slice(5));
  const history = new CommandHistory(many.slice(0, HISTORY_SIZE));
  history.add('new');
  const kept = history.entries();
  assert.equal(kept.length, HISTORY_SIZE);
  assert.equal(kept[0], 'echo 1');
  assert.equal(kept.at(-1), 'new');
});
