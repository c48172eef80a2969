import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  IntacctAuthConfigError,
  IntacctInputError,
  IntacctRetryableError,
  InMemorySessionCache,
  type IntacctSession,
  createSotransaction,
  findCustomerById,
  readByQuery,
  type IntacctError,
} from '../../../connectors/intacct/index.js';
import { failure, demoCredentials, startHarness, uniqueId, type SandboxHarness } from './support.js';

/** Fails when an error, its details or its cause carry a credential. */
function expectNoSecrets(error: IntacctError): void {
  // What a logger could print: the error and everything reachable from it, cause included.
  const everything = `${error.message} ${JSON.stringify(error)} ${inspect(error, { depth: 10, showHidden: true, getters: true })}`;
  for (const secret of [demoCredentials.senderPassword, demoCredentials.userPassword]) expect(everything).not.toContain(secret);
}

describe('Intacct client against the sandbox: sessions, credentials and failure classes', () => {
  let sandbox: SandboxHarness;

  beforeAll(async () => {
    sandbox = await startHarness({ concurrencyLimit: 2 });
  });
  afterAll(async () => {
    await sandbox.close();
  });

  it('when the client calls twice, then it logs in once and reuses the session on the endpoint getAPISession returned', async () => {
    const tenantId = uniqueId('tenant');
    const client = sandbox.client({ tenantId });
    expect((await findCustomerById(client, 'C-1001'))?.name).toBe('Bright Hardware Ltd');
    expect((await findCustomerById(client, 'C-1002'))?.name).toBe("Erin's Deli");
    expect(sandbox.counter.byFunction(tenantId)).toEqual({ getAPISession: 1, readByName: 2 });
  });

  it('when the session expires, then the client renews it once and the call succeeds', async () => {
    const tenantId = uniqueId('tenant');
    const client = sandbox.client({ tenantId });
    await findCustomerById(client, 'C-1001');
    await sandbox.expireSessions();
    expect((await findCustomerById(client, 'C-1003'))?.name).toBe('Alpha & Omega Supplies');
    expect(sandbox.counter.byFunction(tenantId)).toEqual({ getAPISession: 2, readByName: 3 });
  });

  it('when a session is used within its lifetime, then each use slides its expiry; left unused past it, the gateway refuses it and the client renews', async () => {
    let clock = Date.parse('2026-02-01T09:00:00Z');
    const now = (): number => clock;
    const timed = await startHarness({ sessionDurationMs: 60_000, now });
    try {
      const tenantId = uniqueId('tenant');
      // A cache that never drops a session itself, so only the gateway decides about expiry.
      const client = timed.client({ tenantId, now, sessionCache: new InMemorySessionCache(now, -1e12) });
      for (let use = 0; use < 3; use += 1) {
        expect((await findCustomerById(client, 'C-1001'))?.customerId).toBe('C-1001');
        clock += 40_000;
      }
      // 120 s after login with a 60 s lifetime: still one session, because every use slid it.
      expect(timed.counter.byFunction(tenantId)).toEqual({ getAPISession: 1, readByName: 3 });
      clock += 61_000;
      expect((await findCustomerById(client, 'C-1002'))?.customerId).toBe('C-1002');
      expect(timed.counter.byFunction(tenantId)).toEqual({ getAPISession: 2, readByName: 5 });
    } finally {
      await timed.close();
    }
  });

  it('when the company is reset with a larger catalogue, then queries see it and earlier sessions are gone', async () => {
    const scaled = await startHarness();
    try {
      const client = scaled.client({ tenantId: uniqueId('tenant') });
      await findCustomerById(client, 'C-1001');
      const reset = await fetch(`${scaled.url}/__control/reset`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ extraItems: 1500 }),
      });
      // 11 own demo items + 13 matching the BigCommerce and Clarity sandboxes' SKUs + 1500 generated.
      expect(await reset.json()).toEqual({ companyId: 'DEMO-CO', items: 1524 });
      const [result] = await client.execute([
        { controlId: uniqueId('q'), body: readByQuery({ object: 'ITEM', query: "ITEMID LIKE 'SKU-%'", fields: ['ITEMID'], pageSize: 1 }) },
      ]);
      expect(result!.data).toMatchObject({ totalcount: 1500, numremaining: 1499 });
      // The log restarts with the reset: the old session is refused (no functions run), a new one is taken.
      expect((await scaled.requests()).map((entry) => entry.functions.map((fn) => fn.name))).toEqual([
        [],
        ['getAPISession'],
        ['readByQuery'],
      ]);
    } finally {
      await scaled.close();
    }
  });

  it('when the sandbox starts without control endpoints, then they do not exist', async () => {
    const closed = await startHarness({ controlEnabled: false });
    try {
      const response = await fetch(`${closed.url}/__control/requests`);
      expect(response.status).toBe(404);
      expect((await fetch(closed.gateway)).status).toBe(405);
    } finally {
      await closed.close();
    }
  });

  it('when the renewed session is refused too, then the failure is retryable and carries no session id', async () => {
    const tenantId = uniqueId('tenant');
    const cache = new InMemorySessionCache();
    let opened: IntacctSession | undefined;
    const recording = {
      get: (key: string) => cache.get(key),
      set: (key: string, session: IntacctSession) => cache.set(key, (opened = session)),
      delete: (key: string) => cache.delete(key),
    };
    const client = sandbox.client({ tenantId, sessionCache: recording });
    await findCustomerById(client, 'C-1001');
    await sandbox.expireSessions();
    // A session cache that keeps handing out a dead session: renewal cannot help.
    const dead = opened!;
    const stuck = sandbox.client({ tenantId, sessionCache: { get: () => dead, set: () => undefined, delete: () => undefined } });
    const error = await failure(findCustomerById(stuck, 'C-1001'));
    expect(error).toBeInstanceOf(IntacctRetryableError);
    expect(error.level).toBe('authentication');
    expect(error.vendorCode).toBe('XL03000006');
    expect(error.message).not.toContain(dead.sessionId.slice(0, 6));
  });

  it.each([
    ['a wrong sender password', { senderPassword: 'wrong' }, 'control', 'XL03000006'],
    ['an unknown sender', { senderId: 'nobody' }, 'control', 'XL03000006'],
    ['a wrong user password', { userPassword: 'wrong' }, 'authentication', 'XL03000006'],
    ['an unknown company', { companyId: 'OTHER-CO' }, 'authentication', 'XL03000006'],
  ])('when the client is set up with %s, then it fails with an auth/config error', async (_name, override, level, errorno) => {
    const client = sandbox.client({ tenantId: uniqueId('tenant'), credentials: { ...demoCredentials, ...override } });
    const error = await failure(findCustomerById(client, 'C-1001'));
    expect(error).toBeInstanceOf(IntacctAuthConfigError);
    expect(error.level).toBe(level);
    expect(error.vendorCode).toBe(errorno);
    expect(error.message).not.toContain('wrong');
    expectNoSecrets(error);
  });

  it('when a request is invalid against the schema, then the gateway answers XL03000003 and the client calls it an input error', async () => {
    const client = sandbox.client({ tenantId: uniqueId('tenant') });
    const bad = { name: 'readByQuery', children: [{ name: 'object', children: ['CUSTOMER'] }] };
    const error = await failure(client.executeOne({ controlId: 'q', body: bad }));
    expect(error).toBeInstanceOf(IntacctInputError);
    expect(error.level).toBe('control');
    expect(error.vendorCode).toBe('XL03000003');
    expect(error.description2).toMatch(/XML Parse schema error/);
  });

  it('when the gateway rate-limits, then the error is retryable with Retry-After', async () => {
    const client = sandbox.client({ tenantId: uniqueId('tenant') });
    await findCustomerById(client, 'C-1001');
    await sandbox.faults([{ kind: 'rateLimit', times: 1 }]);
    const error = await failure(findCustomerById(client, 'C-1001'));
    expect(error).toBeInstanceOf(IntacctRetryableError);
    expect(error.vendorCode).toBe('GW-0010');
    expect(error.status).toBe(429);
    expect(error.retryAfterMs).toBe(1000);
    expect((await findCustomerById(client, 'C-1001'))?.customerId).toBe('C-1001');
  });

  it.each([
    ['HTTP 503 with an HTML page', { kind: 'http5xx', status: 503 } as const, 503, true],
    ['a Cloudflare 524 page after the work is done', { kind: 'html524' } as const, 524, true],
    ['a malformed XML body', { kind: 'malformed' } as const, 200, true],
  ])('when the gateway answers %s, then the error is retryable', async (_name, rule, status, unknown) => {
    const client = sandbox.client({ tenantId: uniqueId('tenant') });
    await findCustomerById(client, 'C-1001');
    await sandbox.faults([{ ...rule, times: 1 }]);
    const error = await failure(findCustomerById(client, 'C-1002'));
    expect(error).toBeInstanceOf(IntacctRetryableError);
    expect(error.status).toBe(status);
    expect(error.outcomeUnknown).toBe(unknown);
  });

  it('when the gateway never answers, then the client times out with a retryable, outcome-unknown error', async () => {
    const client = sandbox.client({ tenantId: uniqueId('tenant'), timeoutMs: 1500 });
    await findCustomerById(client, 'C-1001');
    await sandbox.faults([{ kind: 'timeout', latencyMs: 5000, times: 1 }]);
    const error = await failure(findCustomerById(client, 'C-1002'));
    expect(error).toBeInstanceOf(IntacctRetryableError);
    expect(error.level).toBe('transport');
    expect(error.outcomeUnknown).toBe(true);
    expectNoSecrets(error);
  });

  it('when more requests than the company limit run at once, then the extra ones get HTTP 429 GW-0010', async () => {
    const client = sandbox.client({ tenantId: uniqueId('tenant') });
    await findCustomerById(client, 'C-1001');
    await fetch(`${sandbox.url}/__control/limits`, { method: 'DELETE' });
    await sandbox.faults([{ kind: 'latency', latencyMs: 1500, function: 'readByName' }]);
    const outcomes = await Promise.allSettled([0, 1, 2].map(() => findCustomerById(client, 'C-1001')));
    await sandbox.clearFaults();
    const refused = outcomes.filter((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(2);
    expect(refused).toHaveLength(1);
    expect(refused[0]!.reason).toBeInstanceOf(IntacctRetryableError);
    expect((refused[0]!.reason as IntacctError).vendorCode).toBe('GW-0010');
    // The sandbox's own count, which multi-process runs read to show they stayed within the limit.
    const limits = (await (await fetch(`${sandbox.url}/__control/limits`)).json()) as {
      concurrencyLimit: number;
      byCompany: Record<string, { maxInFlight: number; refusedForConcurrency: number; refusedForRate: number }>;
    };
    expect(limits.concurrencyLimit).toBe(2);
    expect(Object.values(limits.byCompany)).toEqual([{ maxInFlight: 2, refusedForConcurrency: 1, refusedForRate: 0 }]);
  });

  it('when a query is malformed, then the function fails with an input error naming the function and control id', async () => {
    const client = sandbox.client({ tenantId: uniqueId('tenant') });
    const controlId = uniqueId('bad-query');
    const error = await failure(client.executeOne({ controlId, body: readByQuery({ object: 'CUSTOMER', query: "NAME = 'unterminated" }) }));
    expect(error).toBeInstanceOf(IntacctInputError);
    expect(error).toMatchObject({ level: 'function', functionName: 'readByQuery', controlId, vendorCode: 'Query Failed' });
  });

  it('when documents are dated in a closed period, then creation fails with an input error', async () => {
    const closed = await startHarness({ seed: { closedBefore: '2026-01-01' } });
    try {
      const client = closed.client({ tenantId: uniqueId('tenant') });
      const error = await failure(
        client.executeOne({
          controlId: uniqueId('so'),
          body: createSotransaction({
            transactionDefinition: 'Sales Order',
            date: '2025-12-31',
            customerId: 'C-1001',
            lines: [{ itemId: 'WIDGET-1', quantity: '1' }],
          }),
        }),
      );
      expect(error).toBeInstanceOf(IntacctInputError);
      expect(error.description2).toMatch(/period .* is closed/);
    } finally {
      await closed.close();
    }
  });

  it('when the sandbox runs in newer-gateway mode, then bad sign-in answers HTTP 401 XMLGW_JPP0002 as an auth/config error', async () => {
    const strict = await startHarness({ signInFailure: 'http401' });
    try {
      const client = strict.client({ tenantId: uniqueId('tenant'), credentials: { ...demoCredentials, userPassword: 'nope' } });
      const error = await failure(findCustomerById(client, 'C-1001'));
      expect(error).toBeInstanceOf(IntacctAuthConfigError);
      expect(error).toMatchObject({ status: 401, vendorCode: 'XMLGW_JPP0002' });
      const emptySession = strict.client({
        tenantId: uniqueId('tenant'),
        sessionCache: {
          get: () => ({ sessionId: ' ', endpoint: strict.gateway, expiresAt: undefined }),
          set: () => undefined,
          delete: () => undefined,
        },
      });
      const badRequest = await failure(findCustomerById(emptySession, 'C-1001'));
      expect(badRequest).toBeInstanceOf(IntacctAuthConfigError);
      expect(badRequest).toMatchObject({ status: 400, vendorCode: 'GW-0011', level: 'control' });
    } finally {
      await strict.close();
    }
  });

  it('when a sender is not authorised for the company, then authentication fails with an auth/config error', async () => {
    const other = await startHarness({
      seed: { senders: [{ senderId: 'demo-sender', password: 'demo-sender-pw', companies: ['ELSEWHERE'] }] },
    });
    try {
      const error = await failure(findCustomerById(other.client({ tenantId: uniqueId('tenant') }), 'C-1001'));
      expect(error).toBeInstanceOf(IntacctAuthConfigError);
      expect(error.level).toBe('authentication');
      expect(error.description2).toMatch(/not authorized/);
    } finally {
      await other.close();
    }
  });
});
