// The evaluations panel: an EvaluationRequest typed as JSON (or the example), started with
// POST /v1/evaluations, then followed live until it is final; Cancel while it runs; the
// results as a JSON Lines file. The address becomes #/e/<id>, so a reload (or the link, for any
// key that may read it) opens the same evaluation again.
import { evaluations } from './api';
import { exampleEvaluation } from './evaluation-example';
import { renderEvaluation } from './evaluation-view';
import { isFinalEvaluation, watchEvaluation } from './evaluation-watch';
import type { Evaluation, EvaluationRequest } from './generated';
import { getKey } from './key';
import { showProblem } from './problem';

export interface EvaluationElements {
  form: HTMLFormElement;
  request: HTMLTextAreaElement;
  example: HTMLButtonElement;
  start: HTMLButtonElement;
  cancel: HTMLButtonElement;
  download: HTMLButtonElement;
  status: HTMLElement; // role="status"
  view: HTMLElement;
  problem: HTMLElement; // role="alert"
}

export const EVALUATION_LINK = /^#\/e\/([0-9a-f-]{36})$/i;

// The Blob URL of a download lives this long: long enough for the browser to start saving it.
const DOWNLOAD_URL_LIFETIME_MS = 60_000;

export class Evaluations {
  private shown: Evaluation | undefined;
  private watching: AbortController | undefined;

  constructor(private readonly ui: EvaluationElements) {
    ui.example.addEventListener('click', () => {
      ui.request.value = exampleEvaluation();
      ui.request.focus();
    });
    ui.form.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.start();
    });
    ui.cancel.addEventListener('click', () => void this.cancel());
    ui.download.addEventListener('click', () => void this.download());
  }

  /** Opens an evaluation by id (from #/e/<id>) unless it is the one shown. */
  async open(id: string): Promise<void> {
    if (this.shown?.id === id) return;
    await showProblem(this.ui.problem, undefined);
    try {
      void this.follow(await evaluations.getEvaluation({ id }));
    } catch (error) {
      await showProblem(this.ui.problem, error);
    }
  }

  private async start(): Promise<void> {
    await showProblem(this.ui.problem, undefined);
    if (!getKey()) {
      await showProblem(this.ui.problem, 'Enter your API key first.');
      return;
    }
    const request = parseRequest(this.ui.request.value);
    if (typeof request === 'string') {
      await showProblem(this.ui.problem, request);
      return;
    }
    this.ui.start.disabled = true;
    try {
      // The text is sent as typed (the SDK passes a Blob body through), not through the model's
      // ToJSON, which would drop a misspelt field silently instead of letting the server name it.
      const body = new Blob([this.ui.request.value], { type: 'application/json' });
      const evaluation = await evaluations.createEvaluation({ evaluationRequest: request }, async () => ({ body }));
      window.history.replaceState(null, '', `#/e/${evaluation.id}`);
      void this.follow(evaluation);
    } catch (error) {
      await showProblem(this.ui.problem, error);
    } finally {
      this.ui.start.disabled = false;
    }
  }

  /** Shows an evaluation and, while it runs, follows it. */
  private async follow(evaluation: Evaluation): Promise<void> {
    this.watching?.abort();
    this.show(evaluation, undefined);
    if (isFinalEvaluation(evaluation)) return;
    const controller = new AbortController();
    this.watching = controller;
    this.ui.cancel.hidden = false;
    try {
      // An update already read when another evaluation was opened is not shown over it.
      const final = await watchEvaluation(evaluation.id, (e, via) => {
        if (!controller.signal.aborted) this.show(e, via);
      }, controller.signal);
      if (!controller.signal.aborted) this.show(final, undefined);
    } catch (error) {
      if (!controller.signal.aborted) await showProblem(this.ui.problem, error);
    } finally {
      if (this.watching === controller) {
        this.watching = undefined;
        this.ui.cancel.hidden = true;
      }
    }
  }

  private show(e: Evaluation, via: 'live' | 'polling' | undefined): void {
    this.shown = e;
    const how = via === 'live' ? ' (live)' : via === 'polling' ? ' (checking every second)' : '';
    const status = e.status.charAt(0).toUpperCase() + e.status.slice(1);
    this.ui.status.textContent = isFinalEvaluation(e) ? `${status}.` : `${status}…${how}`;
    this.ui.status.dataset.status = e.status;
    this.ui.download.hidden = false;
    renderEvaluation(this.ui.view, e);
  }

  private async cancel(): Promise<void> {
    if (!this.shown) return;
    try {
      const cancelled = await evaluations.cancelEvaluation({ id: this.shown.id });
      this.watching?.abort();
      this.show(cancelled, undefined);
    } catch (error) {
      await showProblem(this.ui.problem, error);
    }
  }

  /** The key cannot go in a plain link, so the file is fetched with it and saved from a Blob URL. */
  private async download(): Promise<void> {
    if (!this.shown) return;
    const id = this.shown.id;
    this.ui.download.disabled = true;
    try {
      const response = await evaluations.downloadEvaluationResultsRaw({ id }, { cache: 'no-store' });
      const url = URL.createObjectURL(await response.raw.blob());
      const link = document.createElement('a');
      link.href = url;
      link.download = `evaluation-${id}.jsonl`;
      link.hidden = true;
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), DOWNLOAD_URL_LIFETIME_MS);
    } catch (error) {
      await showProblem(this.ui.problem, error);
    } finally {
      this.ui.download.disabled = false;
    }
  }
}

/** The request as an object, or what is wrong with the text, in words. The server checks the rest (422). */
function parseRequest(text: string): EvaluationRequest | string {
  if (text.trim() === '') return 'Write an evaluation request as JSON first (the Example button fills one in).';
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return `That is not valid JSON: ${error instanceof Error ? error.message : String(error)}`;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'The request must be a JSON object, as in the Example.';
  // The SDK walks `problems` to build its body even though the text is sent as typed.
  if (!Array.isArray((value as { problems?: unknown }).problems)) return 'The request needs "problems", a list, as in the Example.';
  return value as EvaluationRequest;
}
