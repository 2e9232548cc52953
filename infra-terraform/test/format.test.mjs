// `terraform fmt -check -recursive` when a terraform binary is here; else HashiCorp's formatter
// (hclwrite.Format, @cdktf/hcl-tools), which is what terraform fmt runs, less a few rewrites.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { format } from '@cdktf/hcl-tools';
import { moduleDir, relativeName, terraformFiles } from './support/configuration.mjs';

const terraform = spawnSync('sh', ['-c', 'command -v terraform'], { encoding: 'utf8' }).stdout.trim();

test('every .tf file is formatted as terraform fmt formats it', async (t) => {
  if (terraform) {
    t.diagnostic(`terraform fmt (${terraform})`);
    const result = spawnSync(terraform, ['fmt', '-check', '-recursive', '-diff'], {
      cwd: moduleDir, encoding: 'utf8', timeout: 60_000, env: { ...process.env, CHECKPOINT_DISABLE: '1' },
    });
    assert.equal(result.error, undefined, `terraform fmt did not run: ${result.error}`);
    assert.equal(result.status, 0, `terraform fmt -check found differences:\n${result.stdout}`);
    return;
  }
  t.diagnostic('no terraform binary: @cdktf/hcl-tools format()');
  for (const path of terraformFiles()) {
    const text = readFileSync(path, 'utf8');
    assert.equal(await format(text), text, `${relativeName(path)} is not formatted (terraform fmt)`);
  }
});
