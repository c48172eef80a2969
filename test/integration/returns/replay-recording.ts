import { returnToCreditMemoWorkflowId } from '../../../workflows/return-to-credit-memo-contract.js';
import { startOrderToCashStack } from '../../support/order-to-cash-stack.js';
import { orderLines, placeBigCommerceOrder, refundInBigCommerce, refundResult, setReturns } from './refund-e2e-support.js';
import { writeRecordedHistory } from '../../support/replay.js';

/**
 * Records a ReturnToCreditMemo history for the replay test: a BigCommerce refund of a posted
 * invoice whose credit memo and AR posting Intacct commits but whose answers are lost, so the
 * history holds the retried activities and the lookups a retry makes. Runs the product end to
 * end (sandboxes, FerretDB, API, worker) and writes the history as the protobuf JSON of the
 * History, the form `replay.test.ts` reads.
 *
 * Re-record after an intended change of the workflow (versioned with `patched()`, the old
 * histories kept): `RECORD_RETURN_HISTORY=1 npx vitest run test/integration/returns/replay.test.ts`.
 */
export async function recordReturnToCreditMemoHistory(file: string): Promise<void> {
  const stack = await startOrderToCashStack();
  try {
    const tenantId = await stack.createTenant('bigcommerce', { transactionDefinition: 'Sales Invoice' });
    await setReturns(stack, tenantId, { restock: false });
    await stack.registerWebhooks(tenantId);
    const orderId = await placeBigCommerceOrder(stack, { products: [{ product_id: 112, quantity: 2 }], shipping_cost_ex_tax: '8.00' });
    await stack.waitForOrder(tenantId, orderId, (status) => status.step === 'awaiting_fulfilment', 90_000);
    await stack.intacctControl('PUT', '/faults', {
      rules: [
        { kind: 'commitThenDrop', function: 'create_sotransaction', times: 1 },
        { kind: 'commitThenDrop', function: 'create_aradjustment', times: 1 },
      ],
    });
    const lines = await orderLines(stack, orderId);
    const refund = await refundInBigCommerce(stack, orderId, [
      { item_type: 'PRODUCT', item_id: lines.products.get(112)!.id, quantity: 1 },
      { item_type: 'SHIPPING', item_id: lines.addressId, amount: 8 },
    ]);
    const result = await refundResult(stack, tenantId, refund.refundId);
    if (result.outcome !== 'credited') throw new Error(`the recorded refund was not credited: ${JSON.stringify(result)}`);
    await writeRecordedHistory(
      await stack.client.workflow.getHandle(returnToCreditMemoWorkflowId(tenantId, refund.refundId)).fetchHistory(),
      file,
    );
  } finally {
    await stack.close();
  }
}
