// Program output with its ANSI colours, as DOM nodes: text nodes and <span>s whose text is set
// with textContent (never parsed as HTML). The sixteen terminal colours are classes, themed in
// style.css for light and dark; the 256-colour palette and true colour are set through the
// element's CSSOM style, which the CSP allows (a style="" attribute it would refuse).
import { paletteRgb, parseAnsi, type AnsiColor, type AnsiStyle } from './ansi';

export function ansiNodes(text: string): Node[] {
  return parseAnsi(text).map((run) => styled(run.text, run.style));
}

function styled(text: string, style: AnsiStyle): Node {
  const classes: string[] = [];
  if (style.bold) classes.push('ansi-bold');
  if (style.dim) classes.push('ansi-dim');
  if (style.italic) classes.push('ansi-italic');
  if (style.underline) classes.push('ansi-underline');
  if (style.strike) classes.push('ansi-strike');
  const fg = style.inverse ? style.bg : style.fg;
  const bg = style.inverse ? style.fg : style.bg;
  // Inverse with a default colour swaps in the output box's own colours.
  if (style.inverse && !fg) classes.push('ansi-fg-inverse');
  if (style.inverse && !bg) classes.push('ansi-bg-inverse');
  if (classes.length === 0 && !fg && !bg) return document.createTextNode(text);
  const span = document.createElement('span');
  span.textContent = text;
  if (fg) paint(span, 'fg', fg, classes);
  if (bg) paint(span, 'bg', bg, classes);
  span.className = classes.join(' ');
  return span;
}

function paint(span: HTMLElement, layer: 'fg' | 'bg', color: AnsiColor, classes: string[]): void {
  if ('palette' in color && color.palette < 16) {
    classes.push(`ansi-${layer}-${color.palette}`);
    return;
  }
  const [r, g, b] = 'palette' in color ? paletteRgb(color.palette) : color.rgb;
  if (layer === 'fg') span.style.color = `rgb(${r}, ${g}, ${b})`;
  else span.style.backgroundColor = `rgb(${r}, ${g}, ${b})`;
}
