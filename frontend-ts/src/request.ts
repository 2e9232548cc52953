// Reads the run form into the SubmissionRequest the API takes. Empty fields are left out,
// so the server's defaults (the runtime's limits, its compare mode) apply.
import type { SubmissionRequest, SubmissionRequestCompareEnum } from './generated';
import type { TestCases } from './test-cases';

export interface RunForm {
  runtime: HTMLSelectElement;
  stdin: HTMLTextAreaElement;
  args: HTMLTextAreaElement;
  wallTime: HTMLInputElement;
  memory: HTMLInputElement;
  mergeStderr: HTMLInputElement;
  compare: HTMLSelectElement;
}

export function buildRequest(form: RunForm, source: string, tests: TestCases): SubmissionRequest {
  const request: SubmissionRequest = { runtime: form.runtime.value, source };
  if (form.stdin.value) request.stdin = form.stdin.value;
  const args = argsFrom(form.args.value);
  if (args.length > 0) request.args = args;
  const wall = form.wallTime.valueAsNumber;
  const memory = form.memory.valueAsNumber;
  if (!Number.isNaN(wall) || !Number.isNaN(memory)) {
    request.limits = {};
    if (!Number.isNaN(wall)) request.limits.wall_time_ms = wall;
    if (!Number.isNaN(memory)) request.limits.memory_mb = memory;
  }
  if (form.mergeStderr.checked) request.merge_stderr = true;
  const cases = tests.read();
  if (cases.length > 0) {
    request.tests = cases;
    request.compare = form.compare.value as SubmissionRequestCompareEnum;
  }
  return request;
}

/** One argument per line. A final newline does not make an empty last argument. */
export function argsFrom(text: string): string[] {
  if (text === '') return [];
  const lines = text.split(/\r?\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}
