import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { payoutReconcileWorkflowId } from '../../../workflows/payout-reconcile-contract.js';
import { eventually } from '../../support/eventually.js';
import { spawnWorkerProcess } from '../../support/test-worker.js';
import { startOrderToCashStack, type OrderToCashStack } from '../../support/order-to-cash-stack.js';
import { placeBigCommerceOrder } from '../returns/refund-e2e-support.js';
import {
  bankGlAccount,
  connectStripe,
  glMovement,
  intacctStateOfPayout,
  payoutResult,
  stripeGateway,
  waitForPayout,
  type StripeConnection,
} from './payout-e2e-support.js';
import '../../support/quiet-runtime.js';

/**
 * The worker process dies with SIGKILL while Intacct is recording a payout's deposit (its answer
 * delayed by the sandbox after the commit), then another worker takes over. Temporal retries the
 * lost call once its heartbeat stops; the retry finds the committed deposit by the payout id
 * instead of recording a second one, and the payout posts once.
 */
describe('PayoutReconcile when the worker is killed mid-payout', () => {
  let stack: OrderToCashStack;
  let tenantId: string;
  let stripe: StripeConnection;
  let child: ChildProcess | undefined;

  beforeAll(async () => {
    stack = await startOrderToCashStack({ stripe: true });
    tenantId = await stack.createTenant('bigcommerce');
    stripe = await connectStripe(stack, tenantId);
    await stack.registerWebhooks(tenantId);
  }, 120_000);
  afterAll(async () => {
    child?.kill('SIGKILL');
    await stack?.close();
  });

  it('when SIGKILL hits while the deposit is being recorded, then a restarted worker posts the payout with one deposit and one journal entry', async () => {
    const clearingBefore = await glMovement(stack, tenantId, stripeGateway.clearing.glAccountNo);
    const bankBefore = await glMovement(stack, tenantId, bankGlAccount);
    const orderId = await placeBigCommerceOrder(stack, { products: [{ product_id: 112, quantity: 2 }] });
    await stack.waitForOrder(tenantId, orderId, (status) => status.step === 'awaiting_fulfilment', 90_000);

    // From here the payout is the worker process's alone.
    await stack.stopWorker();
    child = spawnWorkerProcess(stack.config, stack.sandboxes);
    // Intacct commits the deposit, then takes 8 s to answer: the worker dies in between.
    await stack.intacctControl('PUT', '/faults', {
      seed: 3,
      rules: [{ kind: 'latency', function: 'record_deposit', latencyMs: 8_000, times: 1 }],
    });
    const payout = await stripe.control<{ id: string; amount: number }>('POST', '/payouts', { includePending: true });
    await waitForPayout(stack, tenantId, 'stripe', payout.id, (status) => status.step === 'depositing', 90_000);
    await eventually(async () => (await intacctStateOfPayout(stack, payout.id)).deposits.length, {
      until: (count) => count === 1,
      what: `the deposit of payout ${payout.id}`,
    });
    child.kill('SIGKILL');
    await new Promise((resolve) => child!.once('exit', resolve));
    child = undefined;

    stack.startWorker();
    const result = await payoutResult(stack, tenantId, 'stripe', payout.id, 150_000);
    expect(result.outcome).toBe('posted');
    const intacct = await intacctStateOfPayout(stack, payout.id);
    expect([intacct.deposits.length, intacct.journalEntries.length]).toEqual([1, 1]);
    expect(result.status.intacct.depositKey).toBe(intacct.deposits[0]!.RECORDNO);
    expect(await glMovement(stack, tenantId, stripeGateway.clearing.glAccountNo)).toBe(clearingBefore);
    expect((await glMovement(stack, tenantId, bankGlAccount)) - bankBefore).toBe(payout.amount);

    // The history shows the deposit retried after the lost attempt.
    const history = await stack.client.workflow.getHandle(payoutReconcileWorkflowId(tenantId, 'stripe', payout.id)).fetchHistory();
    const retried = history.events!.filter((event) => (event.activityTaskStartedEventAttributes?.attempt ?? 0) > 1);
    expect(retried.length).toBeGreaterThanOrEqual(1);
  }, 300_000);
});
