// Puts what a submission asked for (GET /v1/submissions/{id}?fields=request) back into the run
// form: its runtime, source, input, arguments, limits and tests, so it can be changed and run again.
// Only the entry file goes into the editor; a submission of several files says so.
import type { SubmissionRequest } from './generated';
import type { RunForm } from './request';
import type { TestCases } from './test-cases';

export interface Editor {
  setSource(source: string): void;
}

/** Fills the form; returns a note for what could not be shown (binary or extra files), else undefined. */
export function reopen(request: SubmissionRequest, form: RunForm, editor: Editor, tests: TestCases): string | undefined {
  const notes: string[] = [];
  if ([...form.runtime.options].some((o) => o.value === request.runtime)) {
    form.runtime.value = request.runtime;
    form.runtime.dispatchEvent(new Event('change'));
  } else {
    notes.push(`this server has no runtime '${request.runtime}' any more`);
  }
  const entry = request.files?.[0] ?? (request.source !== undefined ? { path: '', content: request.source, encoding: request.source_encoding } : undefined);
  if (entry && entry.encoding !== 'base64') editor.setSource(entry.content);
  else if (entry) notes.push('its source is not text, so the editor keeps yours');
  if ((request.files?.length ?? 0) > 1) notes.push(`only its entry file ${request.files?.[0]?.path} is in the editor, of ${request.files?.length} files`);
  if (request.stdin_encoding === 'base64') notes.push('its input is not text and is left out');
  // What the form has no field for is said, not dropped silently.
  if ((request.args ?? []).some((a) => a.includes('\n'))) notes.push('an argument of several lines is split into one per line');
  if ((request.tests ?? []).some((t) => (t.args ?? []).length > 0)) notes.push("its tests' own arguments are left out");
  if ((request.runs ?? 1) > 1) notes.push(`it ran ${request.runs} times; the form runs once`);
  if ((request.output_files ?? []).length > 0) notes.push('its output files are not asked for');
  if ((request.compile_options ?? []).length > 0) notes.push(`its compile options (${request.compile_options?.join(' ')}) are left out`);
  form.stdin.value = request.stdin_encoding === 'base64' ? '' : request.stdin ?? '';
  form.args.value = (request.args ?? []).join('\n');
  form.wallTime.value = request.limits?.wall_time_ms !== undefined ? String(request.limits.wall_time_ms) : '';
  form.memory.value = request.limits?.memory_mb !== undefined ? String(request.limits.memory_mb) : '';
  form.mergeStderr.checked = request.merge_stderr === true;
  // What it ran with is shown, not left folded away.
  const more = form.stdin.closest('details');
  if (more && (form.stdin.value || form.args.value || form.wallTime.value || form.memory.value || form.mergeStderr.checked)) more.open = true;
  if (request.compare) form.compare.value = request.compare;
  tests.set(request.tests ?? []);
  return notes.length > 0 ? `Reopened, but ${notes.join('; ')}.` : undefined;
}
