// ANSI escape sequences in output (src/ansi.ts): colour kept as data, everything else removed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hasEscapes, paletteRgb, parseAnsi, stripAnsi } from '../src/ansi.ts';

const E = '\x1b';

test('plain text is one run with no style', () => {
  assert.deepEqual(parseAnsi('hello\n'), [{ text: 'hello\n', style: {} }]);
  assert.deepEqual(parseAnsi(''), []);
  assert.equal(hasEscapes('hello'), false);
});

test('the eight colours, bright ones and reset', () => {
  assert.deepEqual(parseAnsi(`${E}[31mred${E}[0m plain ${E}[92mbright${E}[m`), [
    { text: 'red', style: { fg: { palette: 1 } } },
    { text: ' plain ', style: {} },
    { text: 'bright', style: { fg: { palette: 10 } } },
  ]);
});

test('several attributes in one sequence, and turning them off one by one', () => {
  assert.deepEqual(parseAnsi(`${E}[1;4;32;44mA${E}[22mB${E}[24;39;49mC`), [
    { text: 'A', style: { bold: true, underline: true, fg: { palette: 2 }, bg: { palette: 4 } } },
    { text: 'B', style: { underline: true, fg: { palette: 2 }, bg: { palette: 4 } } },
    { text: 'C', style: {} },
  ]);
});

test('256 colours and true colour, with semicolons or colons', () => {
  assert.deepEqual(parseAnsi(`${E}[38;5;196mx${E}[48;2;10;20;30my${E}[38:2::1:2:3mz${E}[38:5:21mw`), [
    { text: 'x', style: { fg: { palette: 196 } } },
    { text: 'y', style: { fg: { palette: 196 }, bg: { rgb: [10, 20, 30] } } },
    { text: 'z', style: { fg: { rgb: [1, 2, 3] }, bg: { rgb: [10, 20, 30] } } },
    { text: 'w', style: { fg: { palette: 21 }, bg: { rgb: [10, 20, 30] } } },
  ]);
});

test('a colour out of range changes nothing, and what follows it is still read', () => {
  assert.deepEqual(parseAnsi(`${E}[38;5;300;1mx`), [{ text: 'x', style: { bold: true } }]);
  assert.deepEqual(parseAnsi(`${E}[31m${E}[38;2;1;2mx`), [{ text: 'x', style: { fg: { palette: 1 } } }]);
});

test('every other sequence is removed: cursor, clearing, titles, hyperlinks, charsets', () => {
  const noisy = `${E}[2J${E}[H${E}[?25lA${E}]0;title${E}\\B${E}]8;;http://x.example${E}\\link${E}]8;;${E}\\`
    + `${E}(B${E}7C${E}]2;bel-ended\x07D\x9b31mE`;
  assert.equal(stripAnsi(noisy), 'ABlinkCDE');
  assert.deepEqual(parseAnsi(noisy).at(-1), { text: 'E', style: { fg: { palette: 1 } } });
});

test('a sequence cut off at the end of the output leaves nothing behind', () => {
  assert.equal(stripAnsi(`done${E}[3`), 'done');
  assert.equal(stripAnsi(`done${E}`), 'done');
  assert.equal(stripAnsi(`done${E}]0;unterminated title`), 'done');
});

test('a sequence broken by a newline does not swallow the newline', () => {
  assert.equal(stripAnsi(`a${E}[1\nb`), 'a\nb');
});

test('markup in output stays text', () => {
  assert.deepEqual(parseAnsi(`${E}[31m<img src=x onerror=alert(1)>`), [
    { text: '<img src=x onerror=alert(1)>', style: { fg: { palette: 1 } } },
  ]);
});

test('the xterm palette past 16: the colour cube and the greys', () => {
  assert.deepEqual(paletteRgb(16), [0, 0, 0]);
  assert.deepEqual(paletteRgb(196), [255, 0, 0]);
  assert.deepEqual(paletteRgb(21), [0, 0, 255]);
  assert.deepEqual(paletteRgb(231), [255, 255, 255]);
  assert.deepEqual(paletteRgb(232), [8, 8, 8]);
  assert.deepEqual(paletteRgb(255), [238, 238, 238]);
});
