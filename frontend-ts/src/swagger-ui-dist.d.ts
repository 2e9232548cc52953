// swagger-ui-dist ships no types. Only what docs.ts uses is declared.
declare module 'swagger-ui-dist/swagger-ui-es-bundle.js' {
  interface SwaggerUIOptions {
    url: string;
    domNode: HTMLElement;
    layout?: string;
    deepLinking?: boolean;
    validatorUrl?: string | null;
    tryItOutEnabled?: boolean;
    persistAuthorization?: boolean;
    displayRequestDuration?: boolean;
    defaultModelsExpandDepth?: number;
    docExpansion?: 'list' | 'full' | 'none';
    requestSnippetsEnabled?: boolean;
    onComplete?: () => void;
  }
  interface SwaggerUISystem {
    preauthorizeApiKey(scheme: string, value: string): unknown;
  }
  const SwaggerUI: (options: SwaggerUIOptions) => SwaggerUISystem;
  export default SwaggerUI;
}
