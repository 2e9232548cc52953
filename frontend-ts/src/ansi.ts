// ANSI escape sequences in program output. Colour and emphasis (SGR: ESC [ … m) become styled
// runs of text; every other sequence (cursor movement, clearing, window titles, hyperlinks) is
// removed, so no escape character is ever shown raw. The result is plain data: ansi-view.ts
// turns it into elements with textContent, so nothing a program prints is parsed as HTML.
// Pure (no DOM): unit/ansi.test.ts runs it under node --test.

/** 0-15 are the terminal's own colours (themed by the page's CSS); 16-255 the fixed xterm palette. */
export type AnsiColor = { palette: number } | { rgb: [number, number, number] };

export interface AnsiStyle {
  fg?: AnsiColor;
  bg?: AnsiColor;
  bold?: boolean;
  dim?: boolean;
  italic?: boolean;
  underline?: boolean;
  inverse?: boolean;
  strike?: boolean;
}

export interface AnsiRun {
  text: string;
  style: AnsiStyle; // {} for plain text
}

const ESC = '\x1b';
const CSI8 = '\x9b'; // the 8-bit CSI, a C1 control that survives UTF-8 decoding
const BEL = '\x07';

/** Whether the text holds anything parse() would change. */
export function hasEscapes(text: string): boolean {
  return text.includes(ESC) || text.includes(CSI8);
}

/** The text without any escape sequence. */
export function stripAnsi(text: string): string {
  return parseAnsi(text).map((run) => run.text).join('');
}

/** Splits the text into runs of one style each; escape sequences are consumed, never kept. */
export function parseAnsi(text: string): AnsiRun[] {
  if (!hasEscapes(text)) return text === '' ? [] : [{ text, style: {} }];
  const runs: AnsiRun[] = [];
  let style: AnsiStyle = {};
  let plain = '';
  const flush = () => {
    if (plain === '') return;
    const last = runs[runs.length - 1];
    if (last && sameStyle(last.style, style)) last.text += plain;
    else runs.push({ text: plain, style: { ...style } });
    plain = '';
  };
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c !== ESC && c !== CSI8) {
      // Copy up to the next escape at once.
      let next = i + 1;
      while (next < text.length && text[next] !== ESC && text[next] !== CSI8) next++;
      plain += text.slice(i, next);
      i = next;
      continue;
    }
    const csiStart = c === CSI8 ? i + 1 : text[i + 1] === '[' ? i + 2 : -1;
    if (csiStart >= 0) {
      const end = csiEnd(text, csiStart);
      if (end === undefined) break; // cut off at the end of the output: drop the fragment
      if (end.final) {
        if (text[end.at] === 'm') {
          flush();
          style = applySgr(style, text.slice(csiStart, end.at));
        }
        i = end.at + 1;
      } else {
        i = end.at; // broken off by a control character, which stays (a newline, say)
      }
      continue;
    }
    i = skipOther(text, i);
  }
  flush();
  return runs;
}

/**
 * Where a control sequence ends: at its final byte (0x40-0x7E), after parameters (0x30-0x3F) and
 * intermediates (0x20-0x2F); or, malformed, at the first other character. Undefined when the
 * text ends first.
 */
function csiEnd(text: string, from: number): { at: number; final: boolean } | undefined {
  for (let j = from; j < text.length; j++) {
    const code = text.charCodeAt(j);
    if (code >= 0x40 && code <= 0x7e) return { at: j, final: true };
    if (code < 0x20 || code > 0x7e) return { at: j, final: false };
  }
  return undefined;
}

/** Skips an escape sequence that is not a CSI: OSC, DCS and their kin up to their terminator, or ESC + one. */
function skipOther(text: string, at: number): number {
  const kind = text[at + 1];
  if (kind === undefined) return at + 1;
  if (kind === ']' || kind === 'P' || kind === '^' || kind === '_' || kind === 'X') {
    // Ends at ST (ESC \) or, for OSC, at BEL; an unterminated one runs to the end of the output.
    for (let j = at + 2; j < text.length; j++) {
      if (text[j] === BEL) return j + 1;
      if (text[j] === ESC && text[j + 1] === '\\') return j + 2;
    }
    return text.length;
  }
  // ESC, intermediates (0x20-0x2F, e.g. the "(" of ESC ( B), then one final character.
  let j = at + 1;
  while (j < text.length && text.charCodeAt(j) >= 0x20 && text.charCodeAt(j) <= 0x2f) j++;
  return Math.min(j + 1, text.length);
}

function applySgr(current: AnsiStyle, params: string): AnsiStyle {
  // Only digits, ';' and ':' make SGR parameters; anything else (private markers) is not colour.
  if (!/^[\d;:]*$/.test(params)) return current;
  const style = { ...current };
  const groups = params === '' ? [''] : params.split(';');
  for (let k = 0; k < groups.length; k++) {
    const group = groups[k];
    // 38:5:n and 38:2::r:g:b (colon sub-parameters) carry their colour within the group.
    const sub = group.split(':').map((p) => (p === '' ? 0 : Number(p)));
    const code = sub[0];
    if (code === 38 || code === 48 || code === 58) {
      let color: AnsiColor | undefined;
      if (sub.length > 1) {
        color = extendedColor(sub[1], sub[1] === 2 && sub.length >= 6 ? sub.slice(3, 6) : sub.slice(2));
      } else {
        const mode = Number(groups[k + 1] ?? '');
        const count = mode === 5 ? 1 : mode === 2 ? 3 : 0;
        color = extendedColor(mode, groups.slice(k + 2, k + 2 + count).map(Number));
        k += 1 + count;
      }
      // An invalid colour changes nothing; 58 (underline colour) is consumed and not shown.
      if (color && code === 38) style.fg = color;
      else if (color && code === 48) style.bg = color;
      continue;
    }
    applyCode(style, code);
  }
  return style;
}

function extendedColor(mode: number, values: number[]): AnsiColor | undefined {
  if (mode === 5 && values.length >= 1 && isByte(values[0])) return { palette: values[0] };
  if (mode === 2 && values.length >= 3 && values.every(isByte)) return { rgb: [values[0], values[1], values[2]] };
  return undefined;
}

function isByte(n: number): boolean {
  return Number.isInteger(n) && n >= 0 && n <= 255;
}

function applyCode(style: AnsiStyle, code: number): void {
  if (code === 0) {
    for (const key of Object.keys(style) as (keyof AnsiStyle)[]) delete style[key];
  } else if (code === 1) style.bold = true;
  else if (code === 2) style.dim = true;
  else if (code === 3) style.italic = true;
  else if (code === 4) style.underline = true;
  else if (code === 7) style.inverse = true;
  else if (code === 9) style.strike = true;
  else if (code === 21 || code === 22) {
    delete style.bold;
    delete style.dim;
  } else if (code === 23) delete style.italic;
  else if (code === 24) delete style.underline;
  else if (code === 27) delete style.inverse;
  else if (code === 29) delete style.strike;
  else if (code >= 30 && code <= 37) style.fg = { palette: code - 30 };
  else if (code === 39) delete style.fg;
  else if (code >= 40 && code <= 47) style.bg = { palette: code - 40 };
  else if (code === 49) delete style.bg;
  else if (code >= 90 && code <= 97) style.fg = { palette: code - 90 + 8 };
  else if (code >= 100 && code <= 107) style.bg = { palette: code - 100 + 8 };
  // Anything else (blink, fonts, frames) has no place on the page and is ignored.
}

function sameStyle(a: AnsiStyle, b: AnsiStyle): boolean {
  return sameColor(a.fg, b.fg) && sameColor(a.bg, b.bg) && !a.bold === !b.bold && !a.dim === !b.dim
    && !a.italic === !b.italic && !a.underline === !b.underline && !a.inverse === !b.inverse && !a.strike === !b.strike;
}

function sameColor(a: AnsiColor | undefined, b: AnsiColor | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  if ('palette' in a) return 'palette' in b && a.palette === b.palette;
  return 'rgb' in b && a.rgb.every((v, i) => v === b.rgb[i]);
}

/** The xterm colour of palette entries 16-255: a 6×6×6 cube, then 24 greys. */
export function paletteRgb(index: number): [number, number, number] {
  if (index >= 232) {
    const grey = 8 + (index - 232) * 10;
    return [grey, grey, grey];
  }
  const n = index - 16;
  const level = (v: number) => (v === 0 ? 0 : 55 + v * 40);
  return [level(Math.floor(n / 36)), level(Math.floor(n / 6) % 6), level(n % 6)];
}
