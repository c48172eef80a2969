import { ApplicationFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { flowFailure, operatorFailure } from '../../activities/flow-failure.js';
import { inventorySkuSyncFailures } from '../../workflows/inventory-sku-sync-contract.js';
import { orderSweepFailures } from '../../workflows/order-sweep-contract.js';
import { orderToCashFailures } from '../../workflows/order-to-cash-contract.js';
import { returnToCreditMemoFailures } from '../../workflows/return-to-credit-memo-contract.js';
import { tenantFailures, type FailureCatalogue } from '../../workflows/shared-contract.js';

const catalogues: [string, FailureCatalogue][] = [
  ['tenant', tenantFailures],
  ['OrderToCash', orderToCashFailures],
  ['ReturnToCreditMemo', returnToCreditMemoFailures],
  ['order sweep', orderSweepFailures],
  ['inventory SKU sync', inventorySkuSyncFailures],
];

describe('flow failure catalogues', () => {
  it.each(catalogues)('when the %s catalogue is read, then every type has a snake_case code and a fix', (_name, catalogue) => {
    for (const description of Object.values(catalogue)) {
      expect(description.code).toMatch(/^[a-z]+(_[a-z]+)*$/);
      expect(description.fix.length).toBeGreaterThan(20);
    }
  });

  it('when two flows share a type, then they describe it the same way', () => {
    for (const [type, description] of Object.entries(tenantFailures)) {
      expect(orderToCashFailures[type as keyof typeof tenantFailures]).toEqual(description);
      expect(returnToCreditMemoFailures[type as keyof typeof tenantFailures]).toEqual(description);
    }
  });
});

describe('flowFailure', () => {
  it('when a catalogued type is thrown, then it is a non-retryable ApplicationFailure of that type with its details and cause', () => {
    const cause = new Error('404 from the store');
    const failure = flowFailure(orderToCashFailures, 'OrderNotFound', 'order 100 is gone', { details: { orderId: '100' }, cause });
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({
      type: 'OrderNotFound',
      message: 'order 100 is gone',
      nonRetryable: true,
      details: [{ orderId: '100' }],
    });
    expect(failure.cause).toBe(cause);
  });

  it('when no details are given, then the failure carries none', () => {
    expect(flowFailure(tenantFailures, 'TenantNotConfigured', 'no settings').details).toBeUndefined();
  });

  it('when an operator failure is thrown, then its details name the input failure class', () => {
    const failure = operatorFailure(returnToCreditMemoFailures, 'ClosedPeriod', 'period closed', { controlId: 'c-1' });
    expect(failure).toMatchObject({ type: 'ClosedPeriod', nonRetryable: true, details: [{ failureClass: 'input', controlId: 'c-1' }] });
  });

  it('when a type is not in the catalogue, then it does not compile', () => {
    // @ts-expect-error: RefundNotFound is ReturnToCreditMemo's, not OrderToCash's
    const failure = flowFailure(orderToCashFailures, 'RefundNotFound', 'not catalogued here');
    expect(failure.type).toBe('RefundNotFound');
  });
});
