// The Google auth adapter: what main.ts and the CLI import.
export { resolveCredentials, type AuthRuntime, type GoogleCredentials } from './credentials.ts';
export { validateProviderName, PROVIDER_FORM } from './names.ts';
export * as authFailures from './failures.ts';
