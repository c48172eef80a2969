import { describe, expect, it } from 'vitest';
import { OrderNumber, Storefront, SyncState, TenantId } from '../../workflows/search-attributes.js';
import {
  parseReturnToCreditMemoWorkflowId,
  returnToCreditMemoSearchAttributes,
  returnToCreditMemoWorkflowId,
} from '../../workflows/return-to-credit-memo-contract.js';

describe('ReturnToCreditMemo contract', () => {
  it.each([
    ['demo', '17'],
    ['acme-outfitters', 'RMA-1042'],
    ['t-1', 'refund:with:colons'],
  ])('when tenant %s and refund %s make an id, then parsing gives them back', (tenantId, refundId) => {
    const workflowId = returnToCreditMemoWorkflowId(tenantId, refundId);
    expect(workflowId).toBe(`return-to-credit-memo:${tenantId}:${refundId}`);
    expect(parseReturnToCreditMemoWorkflowId(workflowId)).toEqual({ tenantId, refundId });
  });

  it.each([['order-to-cash:demo:100'], ['return-to-credit-memo:Demo:1'], ['return-to-credit-memo:demo:'], ['return-to-credit-memo:demo']])(
    'when the id is %s, then it is not a ReturnToCreditMemo id',
    (workflowId) => {
      expect(parseReturnToCreditMemoWorkflowId(workflowId)).toBeUndefined();
    },
  );

  it('when a refund starts, then its search attributes name the tenant, storefront, order and a pending state', () => {
    expect(
      returnToCreditMemoSearchAttributes({
        tenantId: 'demo',
        storefront: 'clarity',
        orderId: 'CL-9',
        refundId: 'RMA-1',
        trigger: 'webhook',
      }),
    ).toEqual([
      { key: TenantId, value: 'demo' },
      { key: Storefront, value: 'clarity' },
      { key: OrderNumber, value: 'CL-9' },
      { key: SyncState, value: 'pending' },
    ]);
  });
});
