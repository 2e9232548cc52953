// The package: Crucible.run() and its error, sessions (Crucible.openSession() and CrucibleSession),
// and the whole client generated from openapi.yaml (the APIs, the models, Configuration) for
// everything else.
export { Crucible, CrucibleError, CrucibleSession } from "./crucible.js";
export type { CommandOptions, CrucibleOptions, RunOptions, SessionOptions, WaitOptions } from "./crucible.js";
export * from "./generated/index.js";
