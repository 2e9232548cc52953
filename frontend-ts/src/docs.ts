// The API reference at /docs: Swagger UI rendering /openapi.json (the build writes both
// openapi files from ../openapi.yaml; see vite.config.ts). Bundled from npm into /assets like
// the page, so it runs under the same strict Content-Security-Policy (see CSP.md).
//
// "Try it out" sends requests to this origin (the contract's server is `/`), with the key the
// page keeps for this tab, so a person who entered a key on the page can call the API here.
import 'swagger-ui-dist/swagger-ui.css';
import './docs.css';
import SwaggerUI from 'swagger-ui-dist/swagger-ui-es-bundle.js';
import { byId } from './dom';
import { getKey } from './key';

const ui = SwaggerUI({
  url: '/openapi.json',
  domNode: byId('swagger-ui'),
  // BaseLayout, not StandaloneLayout: the standalone top bar's logo is an SVG with an inline
  // <style>, which `style-src 'self'` refuses.
  layout: 'BaseLayout',
  deepLinking: true,
  // The default sends the spec's URL to validator.swagger.io: nothing leaves this origin.
  validatorUrl: null,
  displayRequestDuration: true,
  requestSnippetsEnabled: true,
  defaultModelsExpandDepth: 0,
  onComplete: () => {
    const key = getKey();
    if (!key) return;
    ui.preauthorizeApiKey('bearerAuth', key);
    byId('docs-key-note').hidden = false;
  },
});
