// The Terraform configuration of infra-terraform/, parsed by HashiCorp's own HCL parser
// (hcl/v2 compiled to WebAssembly, @cdktf/hcl2json). Every expression comes back as a string
// "${...}", blocks as arrays of objects, as in Terraform's JSON syntax.
import { parse } from '@cdktf/hcl2json';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const moduleDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Every file below dir whose name ends with one of the suffixes, skipping dependencies and Terraform's work dir. */
export function filesBelow(dir, suffixes) {
  const found = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === '.terraform') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...filesBelow(path, suffixes));
    else if (suffixes.some((suffix) => entry.name.endsWith(suffix))) found.push(path);
  }
  return found.sort();
}

export const terraformFiles = () => filesBelow(moduleDir, ['.tf', '.tfvars']);
export const templateFiles = () => filesBelow(join(moduleDir, 'templates'), ['.tftpl']);
export const relativeName = (path) => relative(moduleDir, path);

/** One file parsed; a syntax error throws with file:line:column. */
export const parseFile = (path) => parse(relativeName(path), readFileSync(path, 'utf8'));

/**
 * The whole module: every top-level block of every .tf merged by kind, as Terraform merges the
 * files of one directory. A name declared twice is refused, as Terraform does.
 */
export async function loadModule() {
  const module = { resource: {}, data: {}, variable: {}, output: {}, locals: {}, module: {}, provider: {}, terraform: [] };
  for (const path of filesBelow(moduleDir, ['.tf'])) {
    const parsed = await parseFile(path);
    for (const [kind, body] of Object.entries(parsed)) {
      if (kind === 'terraform') module.terraform.push(...body);
      else if (kind === 'locals') {
        for (const block of body) mergeNames(module.locals, block, `${relativeName(path)}: local`);
      } else if (kind === 'resource' || kind === 'data') {
        for (const [type, byName] of Object.entries(body)) {
          module[kind][type] ??= {};
          mergeNames(module[kind][type], byName, `${relativeName(path)}: ${kind} ${type}`, true);
        }
      } else if (kind in module) {
        mergeNames(module[kind], body, `${relativeName(path)}: ${kind}`, kind !== 'provider');
      } else {
        throw new Error(`${relativeName(path)}: unexpected top-level block '${kind}'`);
      }
    }
  }
  return module;
}

function mergeNames(target, source, where, unwrap = false) {
  for (const [name, value] of Object.entries(source)) {
    if (name in target) throw new Error(`${where} '${name}' is declared twice`);
    target[name] = unwrap && Array.isArray(value) ? value[0] : value;
  }
}

/** The one block of a resource (or data source); fails naming what is missing. */
export function resource(module, type, name, kind = 'resource') {
  const block = module[kind][type]?.[name];
  if (!block) throw new Error(`${kind} ${type}.${name} is not declared`);
  return block;
}

/** Every [type, name, block] of the given kind. */
export function* blocks(module, kind = 'resource') {
  for (const [type, byName] of Object.entries(module[kind])) {
    for (const [name, block] of Object.entries(byName)) yield [type, name, block];
  }
}

/** The first (only) nested block of that name, as HCL's JSON form wraps each in an array. */
export const nested = (block, name) => {
  const value = block?.[name];
  if (!Array.isArray(value) || value.length === 0) throw new Error(`no nested block '${name}' in ${JSON.stringify(block)}`);
  return value[0];
};

/** Every string anywhere in a parsed value, with the path of keys that leads to it. */
export function* strings(value, path = []) {
  if (typeof value === 'string') yield [path, value];
  else if (Array.isArray(value)) for (const [i, item] of value.entries()) yield* strings(item, [...path, i]);
  else if (value && typeof value === 'object') for (const [key, item] of Object.entries(value)) yield* strings(item, [...path, key]);
}

/**
 * The templatefile() calls in the module's locals: template file name -> the keys of its
 * variables object. Its values are expressions, kept as text.
 */
export function templatefileCalls(module) {
  const calls = {};
  for (const [local, value] of Object.entries(module.locals)) {
    if (typeof value !== 'string') continue;
    const call = /^\$\{templatefile\("\$\{path\.module\}\/templates\/([^"]+)", \{\n([\s\S]*)\}\)\}$/.exec(value);
    if (!call) continue;
    const vars = {};
    for (const line of call[2].split('\n')) {
      const assignment = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.+?)\s*$/.exec(line);
      if (assignment) vars[assignment[1]] = assignment[2];
    }
    calls[call[1]] = { local, vars };
  }
  return calls;
}
