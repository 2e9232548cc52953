// Terraform's templatefile(), for the subset the templates here use: ${name} of a variable, and
// the escapes $${ and %%{. Anything else (expressions, %{ directives) is refused, so a template
// that starts to use more is noticed here rather than rendered differently from Terraform.
import { readFileSync } from 'node:fs';

/** The variable names a template interpolates, in order of first use. */
export function templateVariables(text) {
  const names = [];
  for (const token of tokens(text)) if (token.variable && !names.includes(token.variable)) names.push(token.variable);
  return names;
}

/** The template rendered with vars; an interpolated variable vars lacks, or a variable nobody uses, throws. */
export function render(text, vars) {
  const used = new Set();
  let out = '';
  for (const token of tokens(text)) {
    if (token.literal !== undefined) { out += token.literal; continue; }
    if (!(token.variable in vars)) throw new Error(`the template uses \${${token.variable}}, which is not given`);
    used.add(token.variable);
    out += String(vars[token.variable]);
  }
  const unused = Object.keys(vars).filter((name) => !used.has(name));
  if (unused.length) throw new Error(`given but not used by the template: ${unused.join(', ')}`);
  return out;
}

export const renderFile = (path, vars) => render(readFileSync(path, 'utf8'), vars);

function* tokens(text) {
  let i = 0;
  while (i < text.length) {
    const next = text.slice(i).search(/\$\$\{|%%\{|\$\{|%\{/);
    if (next < 0) { yield { literal: text.slice(i) }; return; }
    const at = i + next;
    yield { literal: text.slice(i, at) };
    if (text.startsWith('$${', at) || text.startsWith('%%{', at)) {
      yield { literal: text.slice(at + 1, at + 3) };
      i = at + 3;
      continue;
    }
    const line = text.slice(0, at).split('\n').length;
    if (text.startsWith('%{', at)) throw new Error(`line ${line}: %{ directives are not supported by this renderer`);
    const close = text.indexOf('}', at);
    const expression = close < 0 ? '' : text.slice(at + 2, close).trim();
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(expression)) {
      throw new Error(`line ${line}: only \${name} is supported, not \${${expression}}`);
    }
    yield { variable: expression };
    i = close + 1;
  }
}
