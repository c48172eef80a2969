import {
  createArPayment,
  createArAdjustment,
  createJournalEntry,
  createSalesDocument,
  readBankGlAccount,
  recordDeposit,
  type IntacctClient,
} from '../../../connectors/intacct/index.js';
import { matchPayout } from '../../../decisions/payout-matching.js';
import { toIntacctPayoutPosting } from '../../../mappers/payout-to-intacct.js';
import { ledgerEntryId, type LedgerEntry } from '../../../store/ledger.js';
import { recordPayoutPosting } from '../../../store/payout-postings.js';
import { recordProcessorEvent } from '../../../store/processor-events.js';
import { storeProcessorPayout } from '../../../store/processor-payouts.js';
import { closeSchema } from '../../../store/schemas/settings-close.js';
import { readSettings, writeSettings } from '../../../store/settings.js';
import { payoutReconcileWorkflowId } from '../../../workflows/payout-reconcile-contract.js';
import type { OrderSyncFixture } from '../../support/order-sync-fixture.js';
import { creditMemo, payout, payoutLine, receipt } from '../../support/payout-fixtures.js';

/** The tenant's Stripe close settings: payments wait in 1060 (Stripe Clearing), payouts land in BOA-CHK. */
export const stripeClose = closeSchema.parse({
  gateways: [
    {
      gateway: 'stripe',
      clearing: { kind: 'gatewayClearing', glAccountNo: '1060' },
      bankAccountId: 'BOA-CHK',
      glAccounts: { fees: '6100', refunds: '4950', chargebacks: '6110', disputeFees: '6120', reserves: '1070', adjustments: '6190' },
    },
  ],
});

/** What {@link seedMarch} put in both systems. */
export interface SeededMonth {
  payoutId: string;
  depositKey: string;
  journalKey: string;
  orders: { feb: string; first: string; second: string; third: string; parked: string };
}

/**
 * A tenant's March 2026 in both systems, the way the product would have left it (the payout
 * posting path is seeded: PayoutReconcile's wiring is another change). In Intacct, over HTTP:
 * four Stripe receipts into clearing 1060 (one in February), the sales documents (one order's
 * twice, one order's missing), and the March payout posted as a deposit plus a journal entry.
 * In MongoDB: the ledger entries, the processor payout, PayoutReconcile's outcome and an open dispute.
 */
export async function seedMarch(fixture: OrderSyncFixture, tenantId: string, unique: string): Promise<SeededMonth> {
  const db = fixture.database.db;
  const current = (await readSettings(db, tenantId))!;
  await writeSettings(db, tenantId, { ...current.settings, close: stripeClose }, { expectedVersion: current.version, changedBy: 'test' });
  const connection = await fixture.connections.forTenant(tenantId);
  const client = await connection.intacct();
  const definition = connection.settings.orderSync.transactionDefinition;
  const orders = { feb: `${unique}-feb`, first: `${unique}-1`, second: `${unique}-2`, third: `${unique}-3`, parked: `${unique}-4` };

  const receive = async (orderId: string, amount: string, date: string) =>
    (
      await createArPayment(
        client,
        {
          customerId: 'C-1001',
          amount,
          deposit: { undepositedFundsAccount: '1060' },
          referenceId: orderId,
          dateReceived: date,
          paymentMethod: 'Credit Card',
          applications: [],
        },
        `arpymt:${orderId}`,
      )
    ).paymentKey;
  const paymentKeys = {
    feb: await receive(orders.feb, '80.00', '2026-02-27'),
    first: await receive(orders.first, '100.00', '2026-03-03'),
    second: await receive(orders.second, '25.00', '2026-03-04'),
    third: await receive(orders.third, '40.00', '2026-03-31'),
  };
  const salesDocument = (orderId: string, price: string, controlId: string) =>
    createSalesDocument(
      client,
      {
        transactionDefinition: definition,
        date: '2026-03-03',
        customerId: 'C-1001',
        referenceNumber: orderId,
        lines: [{ itemId: 'WIDGET-1', warehouseId: 'WH01', quantity: '1', price }],
      },
      controlId,
    );
  const first = await salesDocument(orders.first, '100.00', `so:${orders.first}`);
  const second = await salesDocument(orders.second, '25.00', `so:${orders.second}`);
  // The same order posted again by hand: a duplicate the report must name.
  await salesDocument(orders.second, '25.00', `so:${orders.second}:by-hand`);

  // The refund's own AR posting (ReturnToCreditMemo's RF-…) pays it out of clearing, where the payment waited.
  await createArAdjustment(
    client,
    {
      customerId: 'C-1001',
      date: '2026-03-09',
      adjustmentNumber: `RF-${orders.second}-r1`,
      lines: [{ glAccountNumber: '1060', amount: '25.00', memo: `refund ${orders.second}-r1` }],
    },
    `rf-post:${orders.second}-r1`,
  );

  const payoutId = `po_${unique}`;
  const subject = payout(
    [
      payoutLine('txn_feb', 'charge', 8_000, 262, { paymentReference: `pi_${orders.feb}`, occurredAt: '2026-02-27T18:00:00Z' }),
      payoutLine('txn_1', 'charge', 10_000, 320, { paymentReference: `pi_${orders.first}`, occurredAt: '2026-03-03T18:00:00Z' }),
      payoutLine('txn_2', 'charge', 2_500, 103, { paymentReference: `pi_${orders.second}`, occurredAt: '2026-03-04T18:00:00Z' }),
      payoutLine('txn_3', 'refund', -2_500, 0, { paymentReference: `pi_${orders.second}`, occurredAt: '2026-03-09T18:00:00Z' }),
    ],
    { payoutId, createdDate: '2026-03-08', arrivalDate: '2026-03-10' },
  );
  const matching = matchPayout(subject, {
    [`pi_${orders.feb}`]: [receipt(orders.feb, paymentKeys.feb, 8_000)],
    [`pi_${orders.first}`]: [receipt(orders.first, paymentKeys.first, 10_000)],
    [`pi_${orders.second}`]: [receipt(orders.second, paymentKeys.second, 2_500), creditMemo(orders.second, 'CM-1', 2_500)],
  });
  if (!matching.fullyMatched) throw new Error(`the seeded payout does not match: ${JSON.stringify(matching.variances)}`);
  const posting = toIntacctPayoutPosting({
    payout: subject,
    matching,
    gateway: stripeClose.gateways[0]!,
    bankGlAccountNo: (await readBankGlAccount(client, 'BOA-CHK'))!,
    baseCurrency: 'USD',
    exchangeRateType: 'Intacct Daily Rate',
  });
  const { depositKey } = await recordDeposit(client, posting.deposit!, `deposit:${payoutId}`);
  const { batchKey } = await createJournalEntry(client, posting.journalEntries[0]!, `payout-je:${payoutId}:1`);
  await storeProcessorPayout(db, tenantId, subject, { layout: 'test', importedBy: 'test' });
  await recordPayoutPosting(db, {
    tenantId,
    processor: 'stripe',
    payoutId,
    gateway: 'stripe',
    currency: 'USD',
    postingDate: '2026-03-10',
    state: 'posted',
    figures: { net: subject.amount, fees: 685, byKind: { charge: 20_500, refund: -2_500 } },
    depositKey,
    journalKeys: [batchKey],
    variances: [],
    variancesApproved: false,
    workflowId: payoutReconcileWorkflowId(tenantId, 'stripe', payoutId),
  });

  // The ledger as OrderToCash and ReturnToCreditMemo leave it, recorded at these instants (Chicago's day).
  const ledger = db.collection<LedgerEntry>('sync_ledger');
  const entry = (entity: LedgerEntry['entity'], externalId: string, at: string, fields: Partial<LedgerEntry>): LedgerEntry => ({
    _id: ledgerEntryId({ tenantId, entity, externalId }),
    tenantId,
    entity,
    externalId,
    state: 'synced',
    attempts: 1,
    createdAt: new Date(at),
    updatedAt: new Date(at),
    ...fields,
  });
  const paymentOf = (orderId: string, amount: number, key: string, at: string) =>
    entry('payment', orderId, at, {
      amount,
      currency: 'USD',
      intacctKey: key,
      gateway: 'stripe',
      gatewayTransactionIds: [`pi_${orderId}`],
    });
  await ledger.insertMany([
    entry('order', orders.feb, '2026-02-27T18:00:00Z', { intacctDocumentId: `${definition}-FEB` }),
    paymentOf(orders.feb, 8_000, paymentKeys.feb, '2026-02-27T18:00:00Z'),
    entry('order', orders.first, '2026-03-03T18:00:00Z', { intacctDocumentId: first.documentId }),
    paymentOf(orders.first, 10_000, paymentKeys.first, '2026-03-03T18:00:00Z'),
    entry('order', orders.second, '2026-03-04T18:00:00Z', { intacctDocumentId: second.documentId }),
    paymentOf(orders.second, 2_500, paymentKeys.second, '2026-03-04T18:00:00Z'),
    entry('refund', `${orders.second}-r1`, '2026-03-09T18:00:00Z', {
      orderExternalId: orders.second,
      intacctDocumentId: 'Credit Memo-CM-1',
      amount: 2_500,
      currency: 'USD',
    }),
    // Recorded as posted, but its sales document is not in Intacct.
    entry('order', orders.third, '2026-03-31T20:00:00Z', { intacctDocumentId: `${definition}-GONE` }),
    paymentOf(orders.third, 4_000, paymentKeys.third, '2026-03-31T20:00:00Z'),
    entry('order', orders.parked, '2026-03-15T18:00:00Z', { state: 'parked' }),
    // April's: after the period, in none of March's figures.
    paymentOf(`${unique}-apr`, 999, 'APR', '2026-04-01T18:00:00Z'),
  ]);
  await recordProcessorEvent(db, {
    tenantId,
    processor: 'stripe',
    eventId: `evt_${unique}`,
    type: 'charge.dispute.created',
    livemode: false,
    occurredAt: '2026-03-30T15:00:00Z',
    subject: {
      kind: 'dispute',
      id: `dp_${unique}`,
      status: 'needs_response',
      amount: 4_000,
      currency: 'usd',
      paymentIntentId: `pi_${orders.third}`,
    },
  });
  return { payoutId, depositKey, journalKey: batchKey, orders };
}

/** A journal entry someone posted by hand to the clearing account in March: 0.50 the product knows nothing of. */
export async function postManualClearingEntry(client: IntacctClient, reference: string): Promise<void> {
  await createJournalEntry(
    client,
    {
      journal: 'GJ',
      date: '2026-03-20',
      title: 'manual correction',
      referenceNumber: reference,
      lines: [
        { accountNumber: '1060', direction: 'debit', amount: '0.50' },
        { accountNumber: '6190', direction: 'credit', amount: '0.50' },
      ],
    },
    `manual-je:${reference}`,
  );
}
