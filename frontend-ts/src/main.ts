// Wires the page together: the key, the runtime picker and editor, submitting and watching a
// run, the history, the evaluations and sessions panels, the theme. Each part lives in its own
// file; this one only connects them.
import './style.css';
import { setUpThemeToggle } from './theme';
import { runtimes as runtimesApi, submissions } from './api';
import { byId, el } from './dom';
import { createEditor } from './editor';
import { SubmissionStatus, Verdict, type Runtime, type Submission } from './generated';
import { EVALUATION_LINK, Evaluations } from './evaluations';
import { History } from './history';
import { getKey, setKey } from './key';
import { helloWorld, isTemplate } from './languages';
import { showProblem } from './problem';
import { buildRequest, type RunForm } from './request';
import { renderSubmission } from './result';
import { reopen } from './reopen';
import { rememberSent, sentTests } from './sent';
import { SESSION_LINK, Sessions } from './sessions';
import { TestCases } from './test-cases';
import { LiveOutput } from './live-output';
import { isFinal, watchSubmission } from './watch';

setUpThemeToggle(byId('theme-toggle'));

const problem = byId('problem');
const statusLine = byId('status');
const result = byId('result');
const resultHeading = byId('result-heading');
const runButton = byId<HTMLButtonElement>('run');
const cancelButton = byId<HTMLButtonElement>('cancel');
const keyInput = byId<HTMLInputElement>('api-key');
const form: RunForm = {
  runtime: byId('runtime'),
  stdin: byId('stdin'),
  args: byId('args'),
  wallTime: byId('wall-time'),
  memory: byId('memory'),
  mergeStderr: byId('merge-stderr'),
  compare: byId('compare'),
};
const editor = createEditor(byId('editor'), 'Source code');
const tests = new TestCases(byId('test-cases'));
const history = new History(
  {
    list: byId('history-list'),
    status: byId('filter-status'),
    runtime: byId('filter-runtime'),
    verdict: byId('filter-verdict'),
    loadMore: byId('load-more'),
    note: byId('history-note'),
  },
  (id) => void open(id),
  (error) => void showProblem(problem, error),
);

const evaluationPanel = new Evaluations({
  form: byId('evaluation-form'),
  request: byId('evaluation-request'),
  example: byId('evaluation-example'),
  start: byId('evaluation-start'),
  cancel: byId('evaluation-cancel'),
  download: byId('evaluation-download'),
  status: byId('evaluation-status'),
  view: byId('evaluation'),
  problem: byId('evaluation-problem'),
});

const sessionPanel = new Sessions({
  startForm: byId('session-start-form'),
  runtime: byId('session-runtime'),
  start: byId('session-start'),
  keepalive: byId('session-keepalive'),
  end: byId('session-end'),
  status: byId('session-status'),
  facts: byId('session-facts'),
  log: byId('session-log'),
  commandForm: byId('session-command-form'),
  command: byId('session-command'),
});

let runtimeList: Runtime[] = [];
let watching: AbortController | undefined; // the run being followed, if any
let shownId: string | undefined;
let live: LiveOutput | undefined; // the output of the run being followed, as it arrives

// Filter choices come from the contract's enums, so they follow openapi.yaml.
fillOptions(byId('filter-status'), Object.values(SubmissionStatus));
fillOptions(byId('filter-verdict'), Object.values(Verdict));

// --- the key -----------------------------------------------------------------------------
keyInput.value = getKey();
byId('key-form').addEventListener('submit', (event) => {
  event.preventDefault();
  setKey(keyInput.value.trim());
  void start();
});
byId('forget-key').addEventListener('click', () => {
  setKey('');
  keyInput.value = '';
  keyInput.focus();
});

// --- runtime and editor ----------------------------------------------------------------------
form.runtime.addEventListener('change', () => onRuntimeChosen());
byId('hello').addEventListener('click', () => {
  editor.setSource(helloWorld(runtimeNames()));
  editor.focus();
});

function runtimeNames(): string[] {
  const runtime = runtimeList.find((r) => r.name === form.runtime.value);
  return runtime ? [runtime.name, ...runtime.aliases] : [form.runtime.value];
}

function onRuntimeChosen(): void {
  const names = runtimeNames();
  void editor.setLanguage(names);
  // Replace the source only while it is empty or an untouched template: never lose work.
  if (isTemplate(editor.getSource())) editor.setSource(helloWorld(names));
  const runtime = runtimeList.find((r) => r.name === form.runtime.value);
  setLimitHints(form.wallTime, runtime?.default_limits.wall_time_ms, runtime?.max_limits.wall_time_ms);
  setLimitHints(form.memory, runtime?.default_limits.memory_mb, runtime?.max_limits.memory_mb);
}

function setLimitHints(input: HTMLInputElement, byDefault?: number, max?: number): void {
  // The whole hint, the maximum too; style.css gives the field the width to show all of it.
  input.placeholder = [byDefault !== undefined ? `default ${byDefault}` : '', max !== undefined ? `max ${max}` : '']
    .filter(Boolean).join(', ');
  if (max !== undefined) input.max = String(max);
  else input.removeAttribute('max');
}

async function loadRuntimes(): Promise<void> {
  runtimeList = await runtimesApi.listRuntimes();
  fillRuntimes(form.runtime);
  fillRuntimes(byId('session-runtime'));
  const filter = byId<HTMLSelectElement>('filter-runtime');
  filter.replaceChildren(el('option', { value: '' }, 'any'), ...runtimeList.map((r) => el('option', { value: r.name }, r.name)));
  onRuntimeChosen();
}

// --- tests --------------------------------------------------------------------------------
byId('add-test').addEventListener('click', () => tests.add());

// --- running ------------------------------------------------------------------------------
byId('run-form').addEventListener('submit', (event) => {
  event.preventDefault();
  void run();
});
cancelButton.addEventListener('click', () => void cancel());

// Ctrl+Enter (Cmd+Enter on a Mac) runs from anywhere but the key form, where Enter uses the key,
// and the evaluations form and sessions panel, which are not about the code in the editor.
// Caught on the way down, before the editor, whose own Mod-Enter would insert a line.
const NOT_THE_EDITOR = ['key-form', 'evaluation-form', 'sessions'].map((id) => byId(id));
window.addEventListener('keydown', (event) => {
  if (event.key !== 'Enter' || !(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey || event.isComposing) return;
  const target = event.target;
  if (target instanceof Node && NOT_THE_EDITOR.some((part) => part.contains(target))) return;
  event.preventDefault();
  event.stopPropagation();
  if (!event.repeat && !runButton.disabled) void run();
}, { capture: true });
if (/Mac|iPhone|iPad/.test(navigator.platform)) byId('run-shortcut').textContent = '⌘';

async function run(): Promise<void> {
  await showProblem(problem, undefined);
  if (!getKey()) {
    await showProblem(problem, 'Enter your API key first.');
    keyInput.focus();
    return;
  }
  runButton.disabled = true;
  try {
    const request = buildRequest(form, editor.getSource(), tests);
    const submission = await submissions.createSubmission({ submissionRequest: request });
    rememberSent(submission.id, request);
    void follow(submission);
    revealResult();
  } catch (error) {
    await showProblem(problem, error);
    statusLine.textContent = 'Not submitted.';
  } finally {
    runButton.disabled = false;
  }
}

/** Shows a submission and, while it is not final, follows it live. */
async function follow(submission: Submission): Promise<void> {
  watching?.abort();
  live = new LiveOutput(submission.id);
  show(submission, undefined);
  if (isFinal(submission)) return;
  const controller = new AbortController();
  const output = live;
  watching = controller;
  cancelButton.hidden = false;
  try {
    // An event already read when the run was cancelled or another opened is not shown over it.
    const final = await watchSubmission(submission.id, (s, via) => {
      if (!controller.signal.aborted) show(s, via);
    }, controller.signal, (chunk) => {
      if (controller.signal.aborted) return;
      output.add(chunk);
      placeLiveOutput();
    });
    show(final, undefined);
  } catch (error) {
    if (!controller.signal.aborted) await showProblem(problem, error);
  } finally {
    if (watching === controller) {
      watching = undefined;
      cancelButton.hidden = true;
    }
  }
}

function show(submission: Submission, via: 'live' | 'polling' | undefined): void {
  shownId = submission.id;
  const how = via === 'live' ? ' (live)' : via === 'polling' ? ' (checking every second)' : '';
  statusLine.textContent = submission.verdict
    ? `${cap(submission.status)}: ${submission.verdict.replace(/_/g, ' ')}.`
    : isFinal(submission) ? `${cap(submission.status)}.` : `${cap(submission.status)}…${how}`;
  statusLine.dataset.status = submission.status;
  renderSubmission(result, submission, sentTests(submission.id));
  // Until the result is final, its output is what arrived live; then the stored output replaces it.
  if (!isFinal(submission) && live?.submissionId === submission.id) placeLiveOutput();
  history.upsert(submission);
}

function placeLiveOutput(): void {
  const node = live?.node();
  if (node && !result.contains(node)) result.append(node);
}

/** Brings the result into view (below the form on a phone, maybe above it when scrolled) and moves focus there. */
function revealResult(): void {
  const { top, bottom } = resultHeading.getBoundingClientRect();
  if (top < 0 || bottom > window.innerHeight) resultHeading.scrollIntoView({ block: 'start' });
  resultHeading.focus({ preventScroll: true });
}

async function cancel(): Promise<void> {
  if (!shownId) return;
  try {
    const cancelled = await submissions.cancelSubmission({ id: shownId });
    watching?.abort();
    show(cancelled, undefined);
  } catch (error) {
    await showProblem(problem, error); // 409 when it finished meanwhile
  }
}

/** Shows a submission (from the history or a share link) and puts what it asked for back into the form. */
async function open(id: string): Promise<void> {
  await showProblem(problem, undefined);
  try {
    const [submission, asked] = await Promise.all([
      submissions.getSubmission({ id }),
      submissions.getSubmission({ id, fields: 'request' }),
    ]);
    const note = asked.request ? reopen(asked.request, form, editor, tests) : 'Its code is no longer kept (retention), so the form is unchanged.';
    if (asked.request) rememberSent(id, asked.request);
    void follow(submission);
    if (note) await showProblem(problem, note);
    revealResult();
  } catch (error) {
    await showProblem(problem, error);
  }
}

// --- share links: /#/s/<id> opens that submission, /#/e/<id> that evaluation, /#/t/<id> that
// session, for any key that may read it
const SHARED = /^#\/s\/([0-9a-f-]{36})$/i;

function openShared(): void {
  const id = SHARED.exec(location.hash)?.[1];
  // /#/e/<id> and /#/t/<id> are put there by their panels when one is started.
  const evaluationId = EVALUATION_LINK.exec(location.hash)?.[1];
  const sessionId = SESSION_LINK.exec(location.hash)?.[1];
  if (!id && !evaluationId && !sessionId) return;
  if (!getKey()) {
    // A link opened where this tab holds no key (another browser, a new tab) would otherwise show
    // an empty page: say what it waits for. The key form's start() opens the link then.
    const what = id ? 'submission' : evaluationId ? 'evaluation' : 'session';
    void showProblem(problem, `Enter an API key that may read this shared ${what}; it opens then.`);
    keyInput.focus();
    return;
  }
  if (id) void open(id);
  if (evaluationId) void evaluationPanel.open(evaluationId);
  if (sessionId) void sessionPanel.open(sessionId);
}
window.addEventListener('hashchange', openShared);

// --- history ------------------------------------------------------------------------------
byId('history-filter').addEventListener('submit', (event) => {
  event.preventDefault();
  void history.refresh();
});

// --- start --------------------------------------------------------------------------------
async function start(): Promise<void> {
  await showProblem(problem, undefined);
  if (!getKey()) {
    openShared();
    return;
  }
  try {
    await loadRuntimes();
    await history.refresh();
    openShared();
  } catch (error) {
    await showProblem(problem, error);
  }
}

/** The runtimes as choices, keeping the one chosen across reloads of the list; Python, the commonest, first if offered. */
function fillRuntimes(select: HTMLSelectElement): void {
  const chosen = select.value;
  select.replaceChildren(...runtimeList.map((r) => el('option', { value: r.name }, `${r.name} ${r.version}`)));
  const preferred = [chosen, 'python'].find((name) => runtimeList.some((r) => r.name === name));
  if (preferred) select.value = preferred;
  select.disabled = false;
}

function fillOptions(select: HTMLSelectElement, values: string[]): void {
  select.append(...values.map((v) => el('option', { value: v }, v)));
}

function cap(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

void start();
