// The generated SDK (src/generated, from openapi.yaml), set up for this page: same origin
// (nginx serves the page at / and the API under /v1), and the key from key.ts on every call.
import { Configuration, EvaluationsApi, RuntimesApi, SessionsApi, SubmissionsApi } from './generated';
import { getKey } from './key';

// basePath '' = same origin. The generator's default is http://localhost.
const configuration = new Configuration({
  basePath: '',
  // A function, so a key changed on the page is used by the next call.
  accessToken: () => getKey(),
});

export const submissions = new SubmissionsApi(configuration);
export const runtimes = new RuntimesApi(configuration);
export const evaluations = new EvaluationsApi(configuration);
export const sessions = new SessionsApi(configuration);

/** Headers for the calls the SDK cannot make (the event streams). */
export function authHeaders(): Record<string, string> {
  return { Authorization: `Bearer ${getKey()}` };
}
