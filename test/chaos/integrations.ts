import fs from 'node:fs';
import type { Client } from '@temporalio/client';
import type { Db } from 'mongodb';
import type { Config } from '../../config/index.js';
import type { CredentialCipher } from '../../store/credential-cipher.js';
import type { ProcessStack } from '../support/process-stack.js';
import type { StorefrontKind } from '../../mappers/canonical-order.js';

/**
 * The chaos run's two companions, written beside it: the bad-input sweep (`bad-input.ts`) and
 * the secrets scan (`secrets-scan.ts`). They are loaded by path so the runner works (and says
 * so in its summary) while either is missing.
 */
export interface BadInputReport {
  ran: boolean;
  sent?: number;
  byStatus?: Record<string, number>;
  byKind?: Record<string, Record<string, number>>;
  serverErrors?: number;
  workflowsStarted?: number;
  /** Connections that reached the listener tenants' steered endpoints pointed at. */
  steeredRequestsReceived?: number;
  unexpected?: Array<{ kind: string; status: number; detail: string }>;
  note?: string;
}

export interface SecretsReport {
  ran: boolean;
  secretsSearched?: number;
  hits?: unknown[];
  scanned?: unknown;
  note?: string;
}

interface BadInputModule {
  runBadInputSweep(options: {
    apiUrl: string;
    db: Db;
    cipher: CredentialCipher;
    tenants: Array<{ tenantId: string; storefront: StorefrontKind }>;
    requests?: number;
    seed: number;
    client?: Client;
  }): Promise<{
    sent: number;
    byStatus: Record<string, number>;
    byKind: Record<string, Record<string, number>>;
    serverErrors: number;
    workflowsStarted: number;
    steeredRequestsReceived: number;
    unexpected: Array<{ kind: string; status: number; detail: string }>;
  }>;
}

interface SecretsModule {
  configuredSecrets(options: { db: Db; cipher: CredentialCipher; config: Config }): Promise<unknown[]>;
  scanForSecrets(options: {
    secrets: unknown[];
    logFiles: string[];
    client: Client;
    workflowQuery?: string;
    db: Db;
  }): Promise<{ hits: unknown[]; scanned: unknown }>;
}

async function load<T>(file: string): Promise<T | undefined> {
  const url = new URL(file, import.meta.url);
  if (!fs.existsSync(url)) return undefined;
  return (await import(url.href)) as T;
}

/** The sweep, after the orders have settled (its workflow count must not see theirs): ≥ 500 bad requests, 0 workflows, 0 5xx. */
export async function runOptionalBadInputSweep(
  stack: ProcessStack,
  requests: number,
  seed: number,
  log: (line: string) => void,
): Promise<{ report: BadInputReport; violations: string[] }> {
  if (requests <= 0) return { report: { ran: false, note: 'skipped (0 requests asked)' }, violations: [] };
  const module = await load<BadInputModule>('./bad-input.ts');
  if (!module) return { report: { ran: false, note: 'test/chaos/bad-input.ts is not there yet' }, violations: [] };
  log(`bad-input sweep: ${requests} bad requests`);
  const result = await module.runBadInputSweep({
    apiUrl: stack.apiUrl,
    db: stack.db,
    cipher: stack.cipher,
    tenants: stack.tenants,
    requests,
    seed,
    client: stack.client,
  });
  const violations: string[] = [];
  if (result.sent < requests) violations.push(`the bad-input sweep sent ${result.sent} requests, fewer than ${requests}`);
  if (result.workflowsStarted !== 0) violations.push(`the bad-input sweep started ${result.workflowsStarted} workflows`);
  if (result.serverErrors !== 0) violations.push(`the bad-input sweep got ${result.serverErrors} 5xx answers`);
  if (result.steeredRequestsReceived !== 0)
    violations.push(`a tenant-steered endpoint received ${result.steeredRequestsReceived} connections: credentials may have left`);
  // Answers other than the sweep's expectation for their kind are listed in the report (`unexpected`), for a person to judge; the bar is 0 workflows and 0 5xx.
  const { sent, byStatus, byKind, serverErrors, workflowsStarted, steeredRequestsReceived, unexpected } = result;
  return { report: { ran: true, sent, byStatus, byKind, serverErrors, workflowsStarted, steeredRequestsReceived, unexpected }, violations };
}

/** Every configured credential searched for in the logs, the workflow histories and MongoDB: 0 hits. */
export async function runOptionalSecretsScan(
  stack: ProcessStack,
  log: (line: string) => void,
): Promise<{ report: SecretsReport; violations: string[] }> {
  const module = await load<SecretsModule>('./secrets-scan.ts');
  if (!module) return { report: { ran: false, note: 'test/chaos/secrets-scan.ts is not there yet' }, violations: [] };
  const secrets = await module.configuredSecrets({ db: stack.db, cipher: stack.cipher, config: stack.config });
  log(`secrets scan: ${secrets.length} configured secrets`);
  const workflowQuery = stack.tenants.map((tenant) => `TenantId = '${tenant.tenantId}'`).join(' OR ');
  const result = await module.scanForSecrets({ secrets, logFiles: stack.logFiles(), client: stack.client, workflowQuery, db: stack.db });
  const violations = result.hits.length > 0 ? [`the secrets scan found ${result.hits.length} hits`] : [];
  return { report: { ran: true, secretsSearched: secrets.length, hits: result.hits, scanned: result.scanned }, violations };
}
