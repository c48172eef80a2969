import { describe, expect, it } from 'vitest';
import { listAttention } from '../../../store/attention.js';
import { findPayoutPosting } from '../../../store/payout-postings.js';
import { payoutReversalReference } from '../../../mappers/payout-failure-reversal.js';
import { payoutFailureReversalWorkflowId, type PayoutFailureReversalResult } from '../../../workflows/payout-failure-reversal-contract.js';
import { useEndToEndTenant, type OrderToCashStack } from '../../support/order-to-cash-stack.js';
import { placeBigCommerceOrder } from '../returns/refund-e2e-support.js';
import {
  bankGlAccount,
  connectStripe,
  glMovement,
  intacctStateOfPayout,
  payoutResult,
  payoutRuns,
  setAwaitPostingsHours,
  stripeGateway,
  waitForPayout,
  type StripeConnection,
} from './payout-e2e-support.js';
import { eventually } from '../../support/eventually.js';
import '../../support/quiet-runtime.js';

interface SandboxPayout {
  id: string;
  amount: number;
  status: string;
}

/**
 * Payouts end to end (BigCommerce and Stripe sandboxes, the product's API and worker, the Intacct
 * sandbox over HTTP) where timing matters: a payout that arrives while the receipt of an order it
 * pays out is still being posted, and a payout the bank returns after it posted.
 */
describe('PayoutReconcile end to end: a receipt still posting, and a payout failing after it posted', () => {
  let stack: OrderToCashStack;
  let tenantId: string;
  let stripe: StripeConnection;

  useEndToEndTenant(
    {
      storefront: 'bigcommerce',
      stripe: true,
      prepare: async (started, tenant) => {
        stripe = await connectStripe(started, tenant);
      },
    },
    (started) => ({ stack, tenantId } = started),
  );

  const payOut = () => stripe.control<SandboxPayout>('POST', '/payouts', { includePending: true });
  const balances = async () => ({
    clearing: await glMovement(stack, tenantId, stripeGateway.clearing.glAccountNo),
    bank: await glMovement(stack, tenantId, bankGlAccount),
  });
  const openPayoutItems = async (payoutId: string) =>
    (await listAttention(stack.database.db, tenantId, { state: 'open', entity: 'tenant' }, { limit: 500 })).items.filter((item) =>
      item.externalId.startsWith(`payout:stripe:${payoutId}`),
    );

  it('when Stripe pays out while the receipt of an order in it is still being posted, then the payout waits for the receipt and posts once, never parked', async () => {
    await setAwaitPostingsHours(stack, tenantId, 1);
    const before = await balances();
    // Intacct takes 25 s to answer the order's receipt: the payout arrives before the ledger has it.
    await stack.intacctControl('PUT', '/faults', {
      rules: [{ kind: 'latency', function: 'create_arpayment', latencyMs: 25_000, times: 1 }],
    });
    const orderId = await placeBigCommerceOrder(stack, { products: [{ product_id: 112, quantity: 1 }] });
    const payout = await payOut();

    const waiting = await waitForPayout(stack, tenantId, 'stripe', payout.id, (status) => status.step === 'waiting_for_postings');
    expect(waiting.variances).toEqual([expect.objectContaining({ kind: 'unmatchedLine' })]);
    expect(waiting.note).toMatch(/not recorded yet/);
    await stack.waitForOrder(tenantId, orderId, (status) => status.step === 'awaiting_fulfilment', 120_000);

    const result = await payoutResult(stack, tenantId, 'stripe', payout.id, 240_000);
    expect(result.outcome).toBe('posted');
    expect(result.status).toMatchObject({ variances: [], variancesApproved: false });
    const intacct = await intacctStateOfPayout(stack, payout.id);
    expect([intacct.deposits.length, intacct.journalEntries.length]).toEqual([1, 1]);
    expect(await glMovement(stack, tenantId, stripeGateway.clearing.glAccountNo)).toBe(before.clearing);
    expect((await glMovement(stack, tenantId, bankGlAccount)) - before.bank).toBe(payout.amount);
    expect(await payoutRuns(stack, tenantId, 'stripe', payout.id)).toBe(1);
    // It never parked: no item was ever opened for it, nor for its line.
    const everOpened = (await listAttention(stack.database.db, tenantId, { entity: 'tenant' }, { limit: 500 })).items.filter((item) =>
      item.externalId.startsWith(`payout:stripe:${payout.id}`),
    );
    expect(everOpened).toEqual([]);
  });

  it('when a posted payout fails at the bank and payout.failed arrives three times, Intacct losing the answer, then one journal entry moves its net back from the bank to clearing', async () => {
    const placed = await placeBigCommerceOrder(stack, { products: [{ product_id: 113, quantity: 2 }] });
    await stack.waitForOrder(tenantId, placed, (status) => status.step === 'awaiting_fulfilment', 120_000);
    const before = await balances();
    const payout = await payOut();
    expect((await payoutResult(stack, tenantId, 'stripe', payout.id)).outcome).toBe('posted');
    const posted = await balances();
    expect(posted.bank - before.bank).toBe(payout.amount);

    await stack.intacctControl('PUT', '/faults', { rules: [{ kind: 'commitThenDrop', function: 'create', times: 1 }] });
    await stripe.control('PUT', '/webhook_behaviour', { copies: 3 });
    try {
      await stripe.control('POST', `/payouts/${payout.id}/fail`, { failureCode: 'account_closed' });
      const reversal = stack.client.workflow.getHandle(payoutFailureReversalWorkflowId(tenantId, 'stripe', payout.id));
      const result = await eventually(() => reversal.result() as Promise<PayoutFailureReversalResult>, {
        what: `the reversal of payout ${payout.id}`,
        timeoutMs: 120_000,
        intervalMs: 250,
      });
      expect(result.outcome).toBe('reversed');
      const tally = (await stack.intacctControl('GET', '/faults')) as { tally: { injected: Record<string, number> } };
      expect(tally.tally.injected).toMatchObject({ commitThenDrop: 1 });

      const reversals = (await stack.intacctRecords('GLBATCH')).filter((batch) => batch.REFERENCENO === payoutReversalReference(payout.id));
      expect(reversals.map((batch) => batch.RECORDNO)).toEqual([result.journalKey]);
      // The money is back in Stripe's balance: clearing up by the net, the bank back where it was before the payout.
      expect((await glMovement(stack, tenantId, stripeGateway.clearing.glAccountNo)) - posted.clearing).toBe(payout.amount);
      expect(await glMovement(stack, tenantId, bankGlAccount)).toBe(before.bank);
      // The payout's own posting stays as it was; the register knows of the reversal.
      expect(await intacctStateOfPayout(stack, payout.id)).toMatchObject({
        deposits: [expect.anything()],
        journalEntries: [expect.anything()],
      });
      expect(await findPayoutPosting(stack.database.db, tenantId, 'stripe', payout.id)).toMatchObject({
        state: 'posted',
        reversal: { journalKey: result.journalKey },
      });
      const items = await openPayoutItems(payout.id);
      expect(items.map((item) => item.code)).toEqual(['payout_failed_after_posting']);
      expect(items[0]!.reason).toContain('account_closed');
    } finally {
      await stripe.control('PUT', '/webhook_behaviour', { copies: 1 });
    }

    // Stripe retrying the failure once more, after the reversal: nothing more is written.
    const events = (await stripe.stripe.events.list({ type: 'payout.failed' })).data.filter(
      (event) => (event.data.object as { id: string }).id === payout.id,
    );
    expect(events).toHaveLength(1);
    await stripe.control('POST', `/events/${events[0]!.id}/redeliver`, { copies: 3 });
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const reversals = (await stack.intacctRecords('GLBATCH')).filter((batch) => batch.REFERENCENO === payoutReversalReference(payout.id));
    expect(reversals).toHaveLength(1);
    let runs = 0;
    for await (const _run of stack.client.workflow.list({
      query: `WorkflowId = '${payoutFailureReversalWorkflowId(tenantId, 'stripe', payout.id)}'`,
    }))
      runs++;
    expect(runs).toBe(1);
  });
});
