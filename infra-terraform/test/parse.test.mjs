import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse } from '@cdktf/hcl2json';
import { parseFile, relativeName, terraformFiles } from './support/configuration.mjs';

test('every .tf and .tfvars file parses with the HCL parser', async () => {
  const files = terraformFiles();
  assert.ok(files.length >= 8, `expected the module's files, found ${files.map(relativeName)}`);
  for (const path of files) {
    await assert.doesNotReject(parseFile(path), `${relativeName(path)} does not parse`);
  }
});

test('a syntax error is refused by the parser, naming the file and line', async () => {
  await assert.rejects(parse('broken.tf', 'resource "aws_eip" "api" {\n  domain = "vpc"\n'), /broken\.tf:\d+/);
});
