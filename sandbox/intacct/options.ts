import type { Logger } from 'pino';
import type { SandboxErrorKind } from './error-catalogue.js';
import type { IntacctSandboxSeed } from './seed.js';

/** How the Intacct sandbox starts. Open questions of the reference are options here. */
export interface IntacctSandboxOptions {
  /** Port to listen on (0 = any free port; the default port is 4001). */
  readonly port: number;
  readonly host?: string;
  /** Mounts `/__control/*` (reset, seed, faults, sessions, request log): development and tests only. */
  readonly controlEnabled: boolean;
  readonly logger?: Logger;
  readonly seed?: IntacctSandboxSeed;
  /** Base URL put into `getAPISession`'s endpoint (default: `http://<host>:<port>`). */
  readonly publicUrl?: string;
  /** Sliding session lifetime (default 12 h). */
  readonly sessionDurationMs?: number;
  /** Lifetime of a readByQuery `resultId` without use (default 10 min). */
  readonly resultIdTtlMs?: number;
  /** Requests one company may have in flight; more get HTTP 429 GW-0010 (default 2). */
  readonly concurrencyLimit?: number;
  /** Requests per window per company before HTTP 429 GW-0010 (default: unlimited). */
  readonly rateLimit?: { readonly requests: number; readonly windowMs: number };
  /**
   * Classic gateway (default): bad sign-in is HTTP 200 with an authentication failure. Newer
   * gateway: HTTP 401 XMLGW_JPP0002, and an empty session id is HTTP 400 GW-0011.
   */
  readonly signInFailure?: 'http200' | 'http401';
  /** Validate every request against Sage's api.xsd (default true). */
  readonly validateSchema?: boolean;
  /** Overrides of error numbers the reference leaves unverified. */
  readonly errorNumbers?: Partial<Record<SandboxErrorKind, string>>;
  /** Largest request body accepted (default 10 MB). */
  readonly maxBodyBytes?: number;
  /** Clock, for tests. */
  readonly now?: () => number;
  /**
   * A JSON file the company is kept in across restarts (read at start, written soon after every
   * request and on close). Absent (the default, and in tests): the company lives in memory and
   * every start is the seed.
   */
  readonly stateFile?: string;
}

/** Options with defaults applied. */
export interface ResolvedSandboxOptions extends IntacctSandboxOptions {
  readonly sessionDurationMs: number;
  readonly resultIdTtlMs: number;
  readonly concurrencyLimit: number;
  readonly signInFailure: 'http200' | 'http401';
  readonly validateSchema: boolean;
  readonly maxBodyBytes: number;
  readonly now: () => number;
}

/** Applies the defaults. */
export function resolveOptions(options: IntacctSandboxOptions): ResolvedSandboxOptions {
  return {
    ...options,
    sessionDurationMs: options.sessionDurationMs ?? 12 * 60 * 60 * 1000,
    resultIdTtlMs: options.resultIdTtlMs ?? 10 * 60 * 1000,
    concurrencyLimit: options.concurrencyLimit ?? 2,
    signInFailure: options.signInFailure ?? 'http200',
    validateSchema: options.validateSchema ?? true,
    maxBodyBytes: options.maxBodyBytes ?? 10 * 1024 * 1024,
    now: options.now ?? Date.now,
  };
}
