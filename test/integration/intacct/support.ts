import { randomUUID } from 'node:crypto';
import {
  IntacctClient,
  InMemorySessionCache,
  InMemoryTransactionCounter,
  type IntacctClientOptions,
  type IntacctCredentials,
  type IntacctError,
} from '../../../connectors/intacct/index.js';
import { startIntacctSandbox, type IntacctSandboxOptions } from '../../../sandbox/intacct/index.js';
import type { FaultRule, RequestLogEntry } from '../../../sandbox/intacct/index.js';

/** The demo credentials of docs/architecture.md. */
export const demoCredentials: IntacctCredentials = {
  senderId: 'demo-sender',
  senderPassword: 'demo-sender-pw',
  companyId: 'DEMO-CO',
  userId: 'sync-user',
  userPassword: 'demo-user-pw',
};

/** A short id unique to this test run, for reference numbers and control ids. */
export function uniqueId(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

/** A sandbox with its control endpoints, and clients pointed at it. */
export interface SandboxHarness {
  readonly url: string;
  readonly gateway: string;
  readonly counter: InMemoryTransactionCounter;
  client(overrides?: Partial<IntacctClientOptions>): IntacctClient;
  faults(rules: ReadonlyArray<Partial<FaultRule> & Pick<FaultRule, 'kind'>>, seed?: number): Promise<void>;
  clearFaults(): Promise<void>;
  expireSessions(): Promise<void>;
  requests(): Promise<RequestLogEntry[]>;
  records(object: string): Promise<Array<Record<string, string>>>;
  close(): Promise<void>;
}

async function control(url: string, method: string, path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${url}/__control${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!response.ok) throw new Error(`control ${method} ${path}: HTTP ${response.status} ${await response.text()}`);
  return response.status === 204 ? undefined : response.json();
}

/** Starts a sandbox on a free port with control endpoints on. */
export async function startHarness(options: Partial<IntacctSandboxOptions> = {}): Promise<SandboxHarness> {
  const sandbox = await startIntacctSandbox({ port: 0, controlEnabled: true, ...options });
  const gateway = `${sandbox.url}/ia/xml/xmlgw.phtml`;
  const counter = new InMemoryTransactionCounter();
  return {
    url: sandbox.url,
    gateway,
    counter,
    client: (overrides = {}) =>
      new IntacctClient({
        tenantId: 'tenant-a',
        endpoint: gateway,
        credentials: demoCredentials,
        transactionCounter: counter,
        sessionCache: new InMemorySessionCache(),
        timeoutMs: 10_000,
        ...overrides,
      }),
    faults: async (rules, seed = 7) => {
      await control(sandbox.url, 'PUT', '/faults', { rules, seed });
    },
    clearFaults: async () => {
      await control(sandbox.url, 'DELETE', '/faults');
    },
    expireSessions: async () => {
      await control(sandbox.url, 'POST', '/sessions/expire');
    },
    requests: async () => ((await control(sandbox.url, 'GET', '/requests')) as { requests: RequestLogEntry[] }).requests,
    records: async (object) =>
      ((await control(sandbox.url, 'GET', `/records/${object}`)) as { records: Array<Record<string, string>> }).records,
    close: () => sandbox.close(),
  };
}

/** The classified error a call fails with; fails the test when the call succeeds. */
export async function failure(promise: Promise<unknown>): Promise<IntacctError> {
  try {
    await promise;
  } catch (error) {
    return error as IntacctError;
  }
  throw new Error('expected a failure');
}
