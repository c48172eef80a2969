import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBadInputSweep, type BadInputReport } from '../../chaos/bad-input.js';
import { setReturns, startOrderToCashStack, type OrderToCashStack } from '../../support/order-to-cash-stack.js';
import type { StorefrontKind } from '../../../mappers/canonical-order.js';

let stack: OrderToCashStack;
let tenants: Array<{ tenantId: string; storefront: StorefrontKind }>;
let report: BadInputReport;

beforeAll(async () => {
  stack = await startOrderToCashStack();
  tenants = [
    { tenantId: await stack.createTenant('bigcommerce'), storefront: 'bigcommerce' },
    { tenantId: await stack.createTenant('clarity'), storefront: 'clarity' },
  ];
  for (const { tenantId } of tenants) await stack.registerWebhooks(tenantId);
  // Settings changed since they were first written, as the chaos run's payout setup does: a
  // steered endpoint must still be refused for what it is (400), not for a stale version (409).
  await setReturns(stack, tenants[0]!.tenantId, {});
  report = await runBadInputSweep({
    apiUrl: stack.api.url,
    db: stack.database.db,
    cipher: stack.cipher,
    tenants,
    requests: 520,
    seed: 9,
    client: stack.client,
  });
});

afterAll(async () => {
  await stack?.close();
});

describe('the bad-input sweep against the product API', () => {
  it('when 520 generated bad requests are sent, then every one is answered as its kind must be, none 5xx', () => {
    expect(report.sent).toBeGreaterThanOrEqual(520);
    expect(report.unexpected).toEqual([]);
    expect(report.serverErrors).toBe(0);
    expect(Object.keys(report.byStatus).filter((status) => Number(status) >= 500 || status === '0')).toEqual([]);
  });

  it('when the sweep is over, then no workflow was started for either tenant', () => {
    expect(report.workflowsStarted).toBe(0);
  });

  it('when the kinds are counted, then every kind was sent to both receivers and the admin API', () => {
    const kinds = Object.keys(report.byKind).sort();
    for (const storefront of ['bigcommerce', 'clarity']) {
      for (const kind of [
        'control',
        'unsigned',
        'forged',
        'replayed',
        'malformed-json',
        'oversized',
        'wrong-content-type',
        'cross-tenant',
        'unknown-tenant',
        'injection',
        'xml-metacharacters',
        'poison',
      ]) {
        expect(kinds).toContain(`${storefront}:${kind}`);
      }
    }
    expect(kinds).toContain('clarity:stale');
    for (const kind of [
      'control',
      'no-key',
      'wrong-key',
      'cross-tenant',
      'insufficient-role',
      'malformed-body',
      'steered-endpoint',
      'disabled-tenant',
    ])
      expect(kinds).toContain(`admin:${kind}`);
    expect(Object.keys(report.expected).sort()).toEqual(kinds);
  });

  it('when refusals are counted by kind, then authentication failures are 401, bad bodies and poison ids 400, 413 and 415, and tenancy 404', () => {
    const only = (kind: string) => Object.keys(report.byKind[kind] ?? {});
    for (const storefront of ['bigcommerce', 'clarity']) {
      expect(only(`${storefront}:unsigned`)).toEqual(['401']);
      expect(only(`${storefront}:forged`)).toEqual(['401']);
      expect(only(`${storefront}:cross-tenant`)).toEqual(['401']);
      expect(only(`${storefront}:oversized`)).toEqual(['413']);
      expect(only(`${storefront}:wrong-content-type`)).toEqual(['415']);
      // Every poison id and SKU is caught by the receiver's bounds, before Temporal could refuse it.
      expect(only(`${storefront}:poison`)).toEqual(['400']);
    }
    expect(only('clarity:stale')).toEqual(['401']);
    // A captured Clarity request played back is refused; a redelivery (new timestamp) is a duplicate no-op.
    expect(only('clarity:replayed').sort()).toEqual(['200', '401']);
    expect(only('bigcommerce:replayed')).toEqual(['200']);
    expect(only('admin:no-key')).toEqual(['401']);
    expect(only('admin:wrong-key')).toEqual(['401']);
    expect(only('admin:insufficient-role')).toEqual(['403']);
    expect(only('admin:cross-tenant').every((status) => status === '403' || status === '404')).toBe(true);
    expect(only('admin:steered-endpoint')).toEqual(['400']);
    expect(only('admin:disabled-tenant')).toEqual(['403']);
  });

  it('when tenant A pointed its endpoints at a listener, Temporal and cloud metadata, then nothing connected to the listener', () => {
    expect(report.byKind['admin:steered-endpoint']?.['400']).toBeGreaterThan(0);
    expect(report.steeredRequestsReceived).toBe(0);
  });

  it('when the sweep has run, then no JSON body polluted Object.prototype in the API process', () => {
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
