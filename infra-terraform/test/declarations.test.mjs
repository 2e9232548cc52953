// What `terraform validate` would catch for the common cases, offline: every variable typed and
// described, and every reference (var., local., module., data., resource) declared.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { blocks, loadModule, strings } from './support/configuration.mjs';

const module = await loadModule();

test('every variable has a type and a description', () => {
  for (const [name, variable] of Object.entries(module.variable)) {
    assert.ok(variable.type, `variable ${name} has no type`);
    assert.ok(variable.description?.trim(), `variable ${name} has no description`);
  }
});

test('every output has a description', () => {
  for (const [name, output] of Object.entries(module.output)) {
    assert.ok(output.description?.trim(), `output ${name} has no description`);
  }
});

// A reference starts an expression or follows an operator, a bracket, a comma or a space: not
// inside a word or a path such as "user-data.sh".
const REFERENCE = /(?<![\w.\-/])(var|local|module|data)\.([A-Za-z_][\w-]*)(?:\.([A-Za-z_][\w-]*))?|(?<![\w.\-/:])((?:aws|acme|random|tls)_[a-z0-9_]+)\.([A-Za-z_][\w-]*)/g;

/** Every reference in the module's expressions, with where it is. */
function* references() {
  for (const kind of ['resource', 'data']) {
    for (const [type, name, block] of blocks(module, kind)) yield* inExpressions(block, `${kind} ${type}.${name}`);
  }
  for (const kind of ['variable', 'output', 'locals', 'provider', 'module']) {
    for (const [name, block] of Object.entries(module[kind])) yield* inExpressions(block, `${kind} ${name}`);
  }
}

function* inExpressions(value, where) {
  for (const [path, text] of strings(value)) {
    // A variable's type constraint and lifecycle's attribute names are not references.
    if (path[0] === 'type' || path.includes('ignore_changes')) continue;
    for (const expression of text.match(/\$\{[\s\S]*\}/g) ?? []) {
      for (const match of expression.matchAll(REFERENCE)) yield { match, where: `${where} (${path.join('.')})` };
    }
  }
}

function undeclared({ match }) {
  const [, kind, first, second, type, name] = match;
  switch (kind) {
    case 'var': return !(first in module.variable);
    case 'local': return !(first in module.locals);
    case 'module': return !(first in module.module);
    case 'data': return !(module.data[first]?.[second]);
    default: return !(module.resource[type]?.[name]);
  }
}

test('every reference is declared', () => {
  const found = [...references()];
  assert.ok(found.length > 100, `the reference scan found only ${found.length}: is it looking?`);
  const missing = found.filter(undeclared).map(({ match, where }) => `${match[0]} in ${where}`);
  assert.deepEqual(missing, []);
});

test('the reference scan would notice an undeclared one', () => {
  const sample = { records: ['${aws_eip.missing.public_ip}'], name: '${var.nope}', path: '${path.module}/user-data.sh' };
  const found = [...inExpressions(sample, 'sample')];
  assert.deepEqual(found.map(({ match }) => match[0]).sort(), ['aws_eip.missing', 'var.nope']);
  assert.ok(found.every(undeclared));
});
