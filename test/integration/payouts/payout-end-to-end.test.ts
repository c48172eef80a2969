import { describe, expect, it } from 'vitest';
import { findProcessorEventsAbout } from '../../../store/processor-events.js';
import { findPayoutPosting } from '../../../store/payout-postings.js';
import { findLedgerEntry } from '../../../store/ledger.js';
import { listAttention } from '../../../store/attention.js';
import { useEndToEndTenant, type OrderToCashStack } from '../../support/order-to-cash-stack.js';
import { orderLines, placeBigCommerceOrder, refundResult } from '../returns/refund-e2e-support.js';
import { paidIntent } from '../stripe/support.js';
import {
  bankGlAccount,
  connectStripe,
  glMovement,
  intacctStateOfPayout,
  payoutResult,
  payoutRuns,
  setAwaitPostingsHours,
  stripeGateway,
  testGateway,
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
 * Payouts end to end: BigCommerce orders paid through the Stripe sandbox are posted by
 * OrderToCash into the gateway's clearing account; the Stripe sandbox pays out and delivers
 * `payout.paid` to the product's receiver, which starts PayoutReconcile; the worker's real
 * activities post the payout to the Intacct sandbox over HTTP. Outcomes are read from the
 * systems themselves: the Intacct sandbox's deposits, journal entries and GL, the attention
 * queue, Temporal's runs. Each payout takes every Stripe balance movement not yet paid out, so
 * the tests run in order and each pays out only what it made.
 */
describe('PayoutReconcile end to end: Stripe and settlement-file payouts → Intacct deposit and journal entry', () => {
  let stack: OrderToCashStack;
  let tenantId: string;
  let stripe: StripeConnection;
  /** The first test's first order, deposited by its Stripe payout. */
  let deposited: { orderId: string; paymentIntent: string; amount: number; payoutId: string } | undefined;

  useEndToEndTenant(
    {
      storefront: 'bigcommerce',
      stripe: true,
      returns: { restock: false },
      prepare: async (started, tenant) => {
        stripe = await connectStripe(started, tenant);
      },
    },
    (started) => ({ stack, tenantId } = started),
  );

  /** Guest orders placed paid (through Stripe, while the store's gateway is Stripe), each posted with its payment. */
  async function postedOrders(count: number): Promise<string[]> {
    const orderIds: string[] = [];
    for (let index = 0; index < count; index++) {
      const orderId = await placeBigCommerceOrder(stack, { products: [{ product_id: 112 + index, quantity: 1 + index }] });
      await stack.waitForOrder(tenantId, orderId, (status) => status.step === 'awaiting_fulfilment', 90_000);
      orderIds.push(orderId);
    }
    return orderIds;
  }

  const payOut = () => stripe.control<SandboxPayout>('POST', '/payouts', { includePending: true });

  /** One deposit and one journal entry for the payout, clearing back where it was, the bank up by exactly the net. */
  async function expectPostedOnce(payout: SandboxPayout, before: { clearing: number; bank: number }) {
    const result = await payoutResult(stack, tenantId, 'stripe', payout.id);
    expect(result.outcome).toBe('posted');
    const intacct = await intacctStateOfPayout(stack, payout.id);
    expect(intacct.deposits).toHaveLength(1);
    expect(intacct.journalEntries).toHaveLength(1);
    expect(result.status.intacct).toEqual({
      depositKey: intacct.deposits[0]!.RECORDNO,
      journalKeys: [intacct.journalEntries[0]!.RECORDNO],
    });
    expect(await glMovement(stack, tenantId, stripeGateway.clearing.glAccountNo)).toBe(before.clearing);
    expect((await glMovement(stack, tenantId, bankGlAccount)) - before.bank).toBe(payout.amount);
    expect(await payoutRuns(stack, tenantId, 'stripe', payout.id)).toBe(1);
    return result;
  }

  /** The open attention items of a payout: its own and its variances'. */
  const openPayoutItems = async (payoutId: string) =>
    (await listAttention(stack.database.db, tenantId, { state: 'open', entity: 'tenant' }, { limit: 500 })).items.filter((item) =>
      item.externalId.startsWith(`payout:stripe:${payoutId}`),
    );

  const balances = async () => ({
    clearing: await glMovement(stack, tenantId, stripeGateway.clearing.glAccountNo),
    bank: await glMovement(stack, tenantId, bankGlAccount),
  });

  it('when orders paid through Stripe, one partly refunded, are paid out, then one deposit and one journal entry post, clearing nets to zero and the bank is up by exactly the net', async () => {
    const before = await balances();
    const [first, second] = await postedOrders(2);
    const payment = await findLedgerEntry(stack.database.db, { tenantId, entity: 'payment', externalId: first! });
    expect(payment).toMatchObject({ state: 'synced', gateway: 'stripe', gatewayTransactionIds: [expect.stringMatching(/^pi_/)] });

    // The merchant refunds one unit of the second order in the store; the store refunds it at Stripe.
    const lines = await orderLines(stack, second!);
    const item = { item_type: 'PRODUCT', item_id: lines.products.get(113)!.id, quantity: 1 };
    const quote = await stack.bigCommerce('POST', `/v3/orders/${second}/payment_actions/refund_quotes`, { items: [item] });
    const amount = (quote.body as { data: { total_refund_amount: number } }).data.total_refund_amount;
    const refunded = await stack.bigCommerce('POST', `/v3/orders/${second}/payment_actions/refunds`, {
      items: [item],
      payments: [{ provider_id: 'stripe', amount, offline: false }],
    });
    expect(refunded.status).toBe(201);
    const refundId = String((refunded.body as { data: { id: number } }).data.id);
    expect((await refundResult(stack, tenantId, refundId)).outcome).not.toBe('skipped');

    const payout = await payOut();
    expect(payout.status).toBe('paid');
    const result = await expectPostedOnce(payout, before);
    expect(result.status.variances).toEqual([]);

    // The receipt is the bank's now: the payment entry names the deposit that moved it.
    const depositedPayment = await findLedgerEntry(stack.database.db, { tenantId, entity: 'payment', externalId: first! });
    expect(depositedPayment?.depositedIn).toBe(payout.id);
    deposited = {
      orderId: first!,
      paymentIntent: depositedPayment!.gatewayTransactionIds![0]!,
      amount: depositedPayment!.amount!,
      payoutId: payout.id,
    };

    // What period reconciliation reads: the payout posted, with its figures.
    const posting = await findPayoutPosting(stack.database.db, tenantId, 'stripe', payout.id);
    expect(posting).toMatchObject({
      state: 'posted',
      gateway: 'stripe',
      currency: 'USD',
      figures: { net: payout.amount, byKind: { refund: -Math.round(amount * 100) } },
      depositKey: result.status.intacct.depositKey,
      journalKeys: result.status.intacct.journalKeys,
    });
  });

  it('when Stripe delivers payout.paid three times, and again after posting, then there is still one workflow run, one deposit and one journal entry', async () => {
    const before = await balances();
    await postedOrders(1);
    await stripe.control('PUT', '/webhook_behaviour', { copies: 3 });
    let payout: SandboxPayout;
    try {
      payout = await payOut();
      await expectPostedOnce(payout, before);
    } finally {
      await stripe.control('PUT', '/webhook_behaviour', { copies: 1 });
    }
    const [paid] = (await findProcessorEventsAbout(stack.database.db, tenantId, { kind: 'payout', id: payout.id })).filter(
      (event) => event.type === 'payout.paid',
    );
    expect(paid).toMatchObject({ state: 'dispatched' });
    await stripe.control('POST', `/events/${paid!.eventId}/redeliver`, { copies: 3 });
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(await payoutRuns(stack, tenantId, 'stripe', payout.id)).toBe(1);
    const intacct = await intacctStateOfPayout(stack, payout.id);
    expect([intacct.deposits.length, intacct.journalEntries.length]).toEqual([1, 1]);
  });

  it('when Intacct answers 5xx and then loses the answers after committing the deposit and the journal entry, then the payout still posts one of each', async () => {
    const before = await balances();
    await postedOrders(1);
    await stack.intacctControl('PUT', '/faults', {
      rules: [
        { kind: 'http5xx', function: 'record_deposit', times: 1, status: 502 },
        { kind: 'commitThenDrop', function: 'record_deposit', times: 1 },
        { kind: 'http5xx', function: 'create', times: 1, status: 503 },
        { kind: 'commitThenDrop', function: 'create', times: 1 },
      ],
    });
    const payout = await payOut();
    await expectPostedOnce(payout, before);
    const tally = (await stack.intacctControl('GET', '/faults')) as { tally: { injected: Record<string, number> } };
    expect(tally.tally.injected).toMatchObject({ http5xx: 2, commitThenDrop: 2 });
  });

  it('when a payout holds a charge the product never posted, then it parks with a variance item naming the line, posts nothing, and posts once approved', async () => {
    // A tenant that parks at once: the wait for postings still under way is the next file's story.
    await setAwaitPostingsHours(stack, tenantId, 0);
    const before = await balances();
    const stray = await paidIntent(stripe.stripe, 1_234);
    const payout = await payOut();
    const parked = await waitForPayout(stack, tenantId, 'stripe', payout.id, (status) => status.step === 'parked');
    expect(parked.attention?.code).toBe('payout_variance');
    const [line] = (await stripe.stripe.balanceTransactions.list({ payout: payout.id, type: 'charge' })).data;
    expect(parked.variances).toEqual([expect.objectContaining({ kind: 'unmatchedLine', lineId: line!.id })]);

    // The payout's own item is written just after it shows as parked.
    const items = await eventually(async () => openPayoutItems(payout.id), {
      until: (found) => found.length === 2,
      what: `the attention items of payout ${payout.id}`,
    });
    expect(items.map((item) => [item.externalId, item.code]).sort()).toEqual(
      [
        [`payout:stripe:${payout.id}`, 'payout_variance'],
        [`payout:stripe:${payout.id}:${line!.id}`, 'payout_unmatched_line'],
      ].sort(),
    );
    const variance = items.find((item) => item.code === 'payout_unmatched_line')!;
    expect(variance.reason).toContain(line!.id);
    expect(variance.reason).toContain(stray.id);
    expect(variance.reason).toContain('USD 12.34');
    expect(await intacctStateOfPayout(stack, payout.id)).toEqual({ deposits: [], journalEntries: [] });

    // The operator reads it, then approves it through the admin API.
    const path = `/tenants/${tenantId}/payouts/stripe/${payout.id}`;
    const shown = await stack.admin('GET', `${path}/status`);
    expect(shown).toMatchObject({ status: 200, body: { status: { step: 'parked', attention: { code: 'payout_variance' } } } });
    expect((await stack.admin('POST', `${path}/approve`, { note: ' ' })).status).toBe(400);
    const approved = await stack.admin('POST', `${path}/approve`, { note: 'a test charge taken outside the store' });
    expect(approved.status).toBe(200);
    const result = await payoutResult(stack, tenantId, 'stripe', payout.id);
    expect(result.status.note).toContain('a test charge taken outside the store');
    expect(result.outcome).toBe('posted');
    // No receipt to deposit: the journal entry books the charge to adjustments and moves the net to the bank.
    const intacct = await intacctStateOfPayout(stack, payout.id);
    expect([intacct.deposits.length, intacct.journalEntries.length]).toEqual([0, 1]);
    expect(await glMovement(stack, tenantId, stripeGateway.clearing.glAccountNo)).toBe(before.clearing);
    expect((await glMovement(stack, tenantId, bankGlAccount)) - before.bank).toBe(payout.amount);
    expect(await openPayoutItems(payout.id)).toEqual([]);
    // A payout posts once: nothing waits for another approval.
    expect(await stack.admin('POST', `${path}/approve`, { note: 'again' })).toMatchObject({
      status: 409,
      body: { error: { code: 'payout_workflow_closed' } },
    });
  });

  it('when a payout in transit fails at the bank, then payout.failed ends its workflow with nothing posted', async () => {
    await postedOrders(1);
    const payout = await stripe.control<SandboxPayout>('POST', '/payouts', { includePending: true, status: 'in_transit' });
    await stripe.control('POST', `/payouts/${payout.id}/fail`, {});
    const result = await payoutResult(stack, tenantId, 'stripe', payout.id);
    expect(result.outcome).toBe('not_paid');
    expect(result.status.note).toContain('failed');
    expect(await intacctStateOfPayout(stack, payout.id)).toEqual({ deposits: [], journalEntries: [] });
    expect(await findPayoutPosting(stack.database.db, tenantId, 'stripe', payout.id)).toMatchObject({ state: 'not_paid', journalKeys: [] });
  });

  it('when a second processor’s settlement file is imported, then its payout posts the same way: one deposit, one journal entry, its clearing at zero, the bank up by the net', async () => {
    // The store's own test gateway takes the next order's payment: its id is `tg-{order}`.
    await fetch(`${stack.sandboxes.bigcommerce.url}/_control/stripe-gateway`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({}),
    });
    const clearingBefore = await glMovement(stack, tenantId, testGateway.clearing.glAccountNo);
    const bankBefore = await glMovement(stack, tenantId, bankGlAccount);
    const orderId = await placeBigCommerceOrder(stack, { products: [{ product_id: 112, quantity: 2 }] });
    await stack.waitForOrder(tenantId, orderId, (status) => status.step === 'awaiting_fulfilment', 90_000);
    const payment = await findLedgerEntry(stack.database.db, { tenantId, entity: 'payment', externalId: orderId });
    expect(payment).toMatchObject({ gateway: 'testgateway', gatewayTransactionIds: [`tg-${orderId}`] });
    const paid = payment!.amount!;

    const mapping = await stack.admin('PUT', `/tenants/${tenantId}/settlement-mappings/acquirer-export`, {
      columns: { lineId: 'Line', kind: 'Type', gross: 'Gross', fee: 'Fee', net: 'Net', paymentReference: 'Reference', occurredAt: 'Date' },
      kinds: { Sale: 'charge', Fee: 'fee' },
      currency: 'USD',
    });
    expect(mapping.status).toBeLessThan(300);
    const major = (cents: number) => (cents / 100).toFixed(2);
    const fee = Math.round(paid * 0.02);
    const csv = [
      'Line,Type,Gross,Fee,Net,Reference,Date',
      `L1,Sale,${major(paid)},${major(fee)},${major(paid - fee)},tg-${orderId},2026-12-01 10:00:00`,
      `L2,Fee,-1.50,0.00,-1.50,,2026-12-01 23:00:00`,
    ].join('\n');
    const payoutId = `ACQ-${orderId}`;
    const net = paid - fee - 150;
    const imported = await fetch(
      `${stack.api.url}/api/v1/tenants/${tenantId}/payouts/import?mapping=acquirer-export&gateway=testgateway&payoutId=${payoutId}&payoutAmount=${major(net)}&payoutDate=2026-12-02`,
      { method: 'POST', headers: { authorization: 'Bearer e2e-bootstrap-key-0123456789abcdef', 'content-type': 'text/csv' }, body: csv },
    );
    expect(imported.status).toBe(201);

    const result = await payoutResult(stack, tenantId, 'settlement-file', payoutId);
    expect(result.outcome).toBe('posted');
    const intacct = await intacctStateOfPayout(stack, payoutId);
    expect([intacct.deposits.length, intacct.journalEntries.length]).toEqual([1, 1]);
    expect(await glMovement(stack, tenantId, testGateway.clearing.glAccountNo)).toBe(clearingBefore);
    expect((await glMovement(stack, tenantId, bankGlAccount)) - bankBefore).toBe(net);
  });
  it('when a settlement file names a receipt a Stripe payout already deposited, then the payout parks with an already-deposited item and posts nothing', async () => {
    const { orderId, paymentIntent, amount, payoutId: depositedBy } = deposited!;
    const csv = [
      'Line,Type,Gross,Fee,Net,Reference,Date',
      `D1,Sale,${(amount / 100).toFixed(2)},0.00,${(amount / 100).toFixed(2)},${paymentIntent},2026-12-01 10:00:00`,
    ].join('\n');
    const payoutId = `AGAIN-${orderId}`;
    const imported = await fetch(
      `${stack.api.url}/api/v1/tenants/${tenantId}/payouts/import?mapping=acquirer-export&gateway=stripe&payoutId=${payoutId}&payoutDate=2026-12-02`,
      { method: 'POST', headers: { authorization: 'Bearer e2e-bootstrap-key-0123456789abcdef', 'content-type': 'text/csv' }, body: csv },
    );
    expect(imported.status).toBe(201);
    const parked = await waitForPayout(stack, tenantId, 'settlement-file', payoutId, (status) => status.step === 'parked');
    expect(parked.variances).toEqual([expect.objectContaining({ kind: 'alreadyDeposited', lineId: 'D1' })]);
    expect(parked.variances[0]!.explanation).toContain(`already deposited by payout ${depositedBy}`);
    const items = await eventually(
      async () =>
        (await listAttention(stack.database.db, tenantId, { state: 'open', entity: 'tenant' }, { limit: 500 })).items.filter((item) =>
          item.externalId.startsWith(`payout:settlement-file:${payoutId}`),
        ),
      { until: (found) => found.length === 2, what: `the attention items of payout ${payoutId}` },
    );
    expect(items.map((item) => item.code).sort()).toEqual(['payout_already_deposited', 'payout_variance']);
    expect(await intacctStateOfPayout(stack, payoutId)).toEqual({ deposits: [], journalEntries: [] });
  });
});
