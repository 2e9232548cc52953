// How the sessions view words a session and its commands (src/session-text.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { commandSummary, endedText, outputParts, sessionStatusText, truncationNote } from '../src/session-text.ts';

const LIFETIMES = { idle_timeout_s: 300, max_lifetime_s: 1800 };

test('a finished command: exit code, verdict, wall time', () => {
  assert.equal(commandSummary({ status: 'finished', exit_code: 0, verdict: 'accepted', wall_time_ms: 12 }), 'exit 0 · accepted · 12 ms');
  assert.equal(commandSummary({ status: 'finished', exit_code: 2, verdict: 'runtime_error', wall_time_ms: 0 }),
    'exit 2 · runtime_error · 0 ms', 'zero is a time, not a missing one');
});

test('a killed command: its signal instead of an exit code', () => {
  assert.equal(commandSummary({ status: 'finished', signal: 'SIGKILL', verdict: 'time_limit_exceeded', wall_time_ms: 30004 }),
    'signal SIGKILL · time_limit_exceeded · 30004 ms');
});

test('a lost or running command says so, whatever figures it has', () => {
  assert.equal(commandSummary({ status: 'lost', exit_code: -1 }), 'lost: the session ended before the command did');
  assert.equal(commandSummary({ status: 'running' }), 'still running');
});

test('output: stdout then stderr, empty streams left out, a stream cut off to nothing kept', () => {
  assert.deepEqual(outputParts({ status: 'finished', stdout: 'hello\n', stdout_encoding: 'utf8', stderr: '' }),
    [{ stream: 'stdout', value: 'hello\n', encoding: 'utf8', truncatedBytes: undefined }]);
  assert.deepEqual(outputParts({ status: 'finished', stdout: 'a', stderr: 'b', stderr_encoding: 'base64', stderr_truncated_bytes: 10 })
    .map((p) => [p.stream, p.value, p.encoding, p.truncatedBytes]), [['stdout', 'a', undefined, undefined], ['stderr', 'b', 'base64', 10]]);
  assert.deepEqual(outputParts({ status: 'finished', stdout_truncated_bytes: 3 }).map((p) => p.stream), ['stdout']);
  assert.deepEqual(outputParts({ status: 'lost' }), []);
});

test('truncation is noted in bytes, only when something was cut', () => {
  assert.equal(truncationNote({ stream: 'stderr', value: 'x', truncatedBytes: 1234 }), '1234 more bytes of stderr were cut off.');
  assert.equal(truncationNote({ stream: 'stdout', value: 'x', truncatedBytes: 1 }), '1 more byte of stdout was cut off.');
  assert.equal(truncationNote({ stream: 'stdout', value: 'x', truncatedBytes: 0 }), undefined);
  assert.equal(truncationNote({ stream: 'stdout', value: 'x' }), undefined);
});

test('the status line: starting, ready, ended with its reason', () => {
  assert.equal(sessionStatusText({ status: 'starting', ...LIFETIMES }), 'Starting…');
  assert.equal(sessionStatusText({ status: 'ready', ...LIFETIMES }), 'Ready.');
  assert.equal(sessionStatusText({ status: 'ended', ended_reason: 'idle_timeout', ...LIFETIMES }), 'Ended (idle_timeout).');
  assert.equal(sessionStatusText({ status: 'ended', ...LIFETIMES }), 'Ended.');
});

test('the end, in words: the reason\'s code, what it means with the session\'s own figures, the server\'s message', () => {
  assert.equal(endedText({ status: 'ended', ended_reason: 'deleted', ...LIFETIMES }), 'Session ended (deleted): it was ended on request (End session, or DELETE through the API).');
  assert.equal(endedText({ status: 'ended', ended_reason: 'idle_timeout', ...LIFETIMES }),
    'Session ended (idle_timeout): no command came for 300 s.');
  assert.equal(endedText({ status: 'ended', ended_reason: 'max_lifetime', ...LIFETIMES }),
    'Session ended (max_lifetime): it reached its longest life, 1800 s.');
  assert.equal(endedText({ status: 'ended', ended_reason: 'start_failed', message: 'no executor had room', ...LIFETIMES }),
    'Session ended (start_failed): no sandbox could be started for it. no executor had room');
  assert.equal(endedText({ status: 'ended', ended_reason: 'a_new_reason', ...LIFETIMES }), 'Session ended (a_new_reason): a new reason.');
  assert.equal(endedText({ status: 'ended', ...LIFETIMES }), 'Session ended.');
});
