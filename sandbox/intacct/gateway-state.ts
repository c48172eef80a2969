import type { Logger } from 'pino';
import type { SandboxStateFile } from '../state-file.js';
import type { ErrorCatalogue } from './error-catalogue.js';
import type { FaultInjector } from './faults.js';
import type { ResolvedSandboxOptions } from './options.js';
import type { RequestLog } from './request-log.js';
import type { ResultCursors } from './result-cursors.js';
import type { SchemaValidator } from './schema-validator.js';
import type { IntacctSandboxSeed, SandboxSender, SandboxUser } from './seed.js';
import type { SessionRegistry } from './sessions.js';
import type { CompanyStore } from './store.js';

/** What the HTTP layer does with a gateway request. */
export type GatewayOutcome =
  | {
      readonly kind: 'respond';
      readonly status: number;
      readonly contentType: string;
      readonly body: string;
      readonly retryAfterSeconds?: number;
      readonly delayMs: number;
    }
  | { readonly kind: 'drop'; readonly afterMs: number };

/** Everything the gateway works with; the server owns it and the control endpoints change it. */
export interface GatewayState {
  readonly options: ResolvedSandboxOptions;
  readonly errors: ErrorCatalogue;
  store: CompanyStore;
  seed: IntacctSandboxSeed;
  readonly senders: readonly SandboxSender[];
  readonly users: readonly SandboxUser[];
  readonly sessions: SessionRegistry;
  readonly cursors: ResultCursors;
  readonly faults: FaultInjector;
  readonly log: RequestLog;
  readonly validator: SchemaValidator | undefined;
  readonly inFlight: Map<string, number>;
  readonly rateWindows: Map<string, { start: number; count: number }>;
  /** Per company since start or the last `DELETE /__control/limits`: what the limits saw (see {@link CompanyLimitTally}). */
  readonly limitTally: Map<string, CompanyLimitTally>;
  readonly logger: Logger | undefined;
  /** Base URL of the gateway, for `getAPISession`'s endpoint. */
  publicUrl: string;
  /** Where the company is kept across restarts; undefined keeps it in memory only. */
  readonly stateFile: SandboxStateFile<unknown> | undefined;
}

/** What one company's limits saw: the proof that callers stayed within them, or by how much they did not. */
export interface CompanyLimitTally {
  /** The most requests admitted and running at one moment. */
  maxInFlight: number;
  /** Requests refused with 429 GW-0010 because the concurrency limit was in use. */
  refusedForConcurrency: number;
  /** Requests refused with 429 GW-0010 because the rate window was spent. */
  refusedForRate: number;
}
