import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BigCommerceRetryableError } from '../../../connectors/bigcommerce/index.js';
import { startBigCommerceSandbox, type RunningBigCommerceSandbox } from '../../../sandbox/bigcommerce/index.js';
import { useBigCommerceSandbox } from './sandbox-fixture.js';

const bc = useBigCommerceSandbox();

type Logged = { requests: { method: string; path: string; status: number; durationMs: number; fault?: string }[] };

describe('BigCommerce sandbox faults, seen through the client', () => {
  it('when the next request fails with 503 then the client reports it retryable and the one after succeeds', async () => {
    await bc.control('PUT', '/faults', { failNext: { count: 1, status: 503 } });
    await expect(bc.client().orders.getOrder(100)).rejects.toMatchObject({ type: 'BigCommerceRetryableError', status: 503 });
    expect((await bc.client().orders.getOrder(100)).id).toBe(100);
  });

  it('when the store does not answer then the client times out with a retryable error', async () => {
    await bc.control('PUT', '/faults', { timeoutNext: 1 });
    const error = await bc
      .client({ timeoutMs: 200 })
      .orders.getOrder(100)
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(BigCommerceRetryableError);
    expect(error).toMatchObject({ vendorCode: 'ETIMEDOUT' });
    // Nothing reachable from the error, however deep a logger looks, holds the token.
    expect(inspect(error, { depth: 20, showHidden: true })).not.toContain('demo-bc-token');
  });

  it('when a 429 comes without rate-limit headers (platform under load) then it is retryable with no wait invented', async () => {
    await bc.control('PUT', '/faults', { rateLimitNext: 1 });
    const error = await bc
      .client()
      .orders.getOrder(100)
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ type: 'BigCommerceRetryableError', status: 429, retryAfterMs: undefined });
  });

  it('when a write is committed but its response is lost then the client reports a retryable failure and the write is there', async () => {
    await bc.control('PUT', '/faults', { dropResponseNext: 1 });
    await expect(bc.client().orders.updateStaffNotes(100, 'Intacct SO-0100')).rejects.toBeInstanceOf(BigCommerceRetryableError);
    expect((await bc.client().orders.getOrder(100)).staff_notes).toBe('Intacct SO-0100');
  });

  it('when latency is injected then requests take at least that long, as the request log shows', async () => {
    await bc.control('PUT', '/faults', { latencyMs: 50 });
    await bc.client().orders.getOrder(100);
    const { requests } = (await bc.control('GET', '/requests')) as Logged;
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({ method: 'GET', path: '/stores/demostore/v2/orders/100', status: 200 });
    expect(requests[0]!.durationMs).toBeGreaterThanOrEqual(45);
    expect(JSON.stringify(requests)).not.toContain('demo-bc-token');
  });

  it('when the store hash is unknown then the store answers 404 and the client reports an input error', async () => {
    await expect(bc.client({ storeHash: 'otherstore' }).orders.getOrder(100)).rejects.toMatchObject({
      type: 'BigCommerceInputError',
      status: 404,
    });
  });
});

describe('BigCommerce sandbox without control', () => {
  let sandbox: RunningBigCommerceSandbox;
  beforeAll(async () => {
    sandbox = await startBigCommerceSandbox({ port: 0, host: '127.0.0.1', controlEnabled: false });
  });
  afterAll(async () => {
    await sandbox.close();
  });

  it('when control is not enabled then the control endpoints do not exist', async () => {
    expect((await fetch(`${sandbox.url}/_control/reset`, { method: 'POST' })).status).toBe(404);
    expect(
      (
        await fetch(`${sandbox.url}/_control/faults`, {
          method: 'PUT',
          headers: { 'Content-Type': 'application/json' },
          body: '{"failNext":{"count":5}}',
        })
      ).status,
    ).toBe(404);
  });
});
