// Preflight's functional core: the tables (machines, regions), the bucket location rule, the
// offline checks, the meaning of the online checks' answers, and the rendering.
export * from './findings.ts';
export { offlineChecks, type OfflineInputs } from './offline.ts';
export { bucketLocationProblem, bucketOf, type BucketLocation } from './bucket-location.ts';
export { machineProblems, checkMachines, type MachineSpecView } from './machine-check.ts';
export { checkRegion, checkRegistries } from './region-check.ts';
export * from './online.ts';
export { renderPreflightMarkdown, preflightErrorText, type LocatedFinding } from './render.ts';
