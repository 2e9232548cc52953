// The package: Crucible.run() and its error, and the whole client generated from openapi.yaml
// (the APIs, the models, Configuration) for everything else.
export { Crucible, CrucibleError } from "./crucible.js";
export type { CrucibleOptions, RunOptions } from "./crucible.js";
export * from "./generated/index.js";
