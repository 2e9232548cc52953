// Turns a failed API call into a message the user can act on. Every API error has an RFC 9457
// body (`Problem` in openapi.yaml); the status decides what we advise, the body adds detail.
import { ResponseError, type FieldError, type Problem } from './generated';
import { clear, el } from './dom';

export interface Explained {
  summary: string; // what happened and what to do
  detail?: string; // the server's own words
  fields: FieldError[]; // for 422, each offending field
}

/** A string is taken as the page's own message (e.g. "Enter your API key first."). */
export async function explain(error: unknown): Promise<Explained> {
  if (typeof error === 'string') return { summary: error, fields: [] };
  if (!(error instanceof ResponseError)) {
    if (error instanceof DOMException && error.name === 'AbortError') return { summary: 'Stopped.', fields: [] };
    return { summary: 'Could not reach the server. Check your connection and try again.', detail: String(error), fields: [] };
  }
  const response = error.response;
  const problem = await readProblem(response);
  const wait = retryAfterSeconds(response.headers.get('Retry-After'));
  const fields = problem?.errors ?? [];
  return { summary: advice(response.status, wait), detail: problem?.detail, fields };
}

function advice(status: number, wait: number | undefined): string {
  const later = wait !== undefined ? `Try again in ${wait} second${wait === 1 ? '' : 's'}.` : 'Try again shortly.';
  switch (status) {
    case 401: return 'Your API key was not accepted (401). Check the key above.';
    case 403: return 'Your API key may not do this (403). Ask an admin for a key with the right role.';
    case 404: return 'Not found (404). It may belong to another key.';
    case 409: return 'Conflict (409).';
    case 413: return 'Too large (413): the source, input or tests are over the server\'s size limit. Make them smaller.';
    case 415: return 'The server refused the request format (415).';
    case 422: return 'The server refused some fields (422). Fix them and submit again.';
    case 429: return `Too many requests (429). ${later}`;
    case 503: return `The server is busy or unavailable (503). ${later}`;
    default: return status >= 500 ? `The server failed (${status}). ${later}` : `The request was refused (${status}).`;
  }
}

async function readProblem(response: Response): Promise<Problem | undefined> {
  try {
    return (await response.clone().json()) as Problem;
  } catch {
    return undefined; // not JSON (a proxy's error page, say)
  }
}

/** Retry-After is either seconds or an HTTP date (RFC 9110 §10.2.3). */
export function retryAfterSeconds(header: string | null): number | undefined {
  if (!header) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim());
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

/** Shows the error in a role="alert" region (read out by screen readers), or hides it. */
export async function showProblem(region: HTMLElement, error: unknown | undefined): Promise<void> {
  clear(region);
  if (error === undefined) {
    region.hidden = true;
    return;
  }
  const { summary, detail, fields } = await explain(error);
  region.append(el('p', { class: 'problem-summary' }, summary));
  // A 422's detail is its field errors in one line (ApiException.InvalidRequest): listed below, once.
  if (detail && fields.length === 0) region.append(el('p', { class: 'problem-detail' }, detail));
  if (fields.length > 0) {
    region.append(el('ul', { class: 'problem-fields' },
      ...fields.map((f) => el('li', {}, el('code', {}, f.field), ': ', f.message))));
  }
  region.hidden = false;
}
