import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureLedgerIndexes, listPaymentsByGatewayTransactionIds, recordLedgerEntry } from '../../../store/ledger.js';
import { ensureProcessorPayoutIndexes, findProcessorPayout, storeProcessorPayout } from '../../../store/processor-payouts.js';
import { openTestDatabase, testConfig } from '../../support/harness.js';
import { payout, payoutLine } from '../../support/payout-fixtures.js';

const source = { layout: 'stripe-api', importedBy: 'payout-reconcile' };

/**
 * A processor payout is stored once and never replaced, on FerretDB; the one change a payout
 * may still have after it is stored is its status moving on (Stripe's pending → paid, paid →
 * failed), which is kept, while a change of lines or amount is refused.
 */
describe('processor payouts: status changes and refused changes', () => {
  let database: Awaited<ReturnType<typeof openTestDatabase>>;

  beforeAll(async () => {
    database = await openTestDatabase(testConfig());
    await ensureProcessorPayoutIndexes(database.db);
    await ensureLedgerIndexes(database.db);
  });
  afterAll(async () => {
    await database?.drop();
  });

  const lines = [payoutLine('txn_1', 'charge', 10_000, 320, { paymentReference: 'pi_1' }), payoutLine('txn_2', 'fee', -150)];

  it('when a stored pending payout is read again paid with the same lines, then its status moves on and nothing else changes', async () => {
    const pending = payout(lines, { payoutId: 'po_status', status: 'pending' });
    expect(await storeProcessorPayout(database.db, 'pp-a', pending, source)).toEqual({ outcome: 'created' });
    const paid = { ...pending, status: 'paid' as const };
    expect(await storeProcessorPayout(database.db, 'pp-a', paid, source)).toEqual({ outcome: 'statusChanged', from: 'pending' });
    expect((await findProcessorPayout(database.db, 'pp-a', 'stripe', 'po_status'))?.payout).toEqual(paid);
    expect(await storeProcessorPayout(database.db, 'pp-a', paid, source)).toEqual({ outcome: 'unchanged' });
    // A payout paid may still come back failed; a failed one never becomes paid or pending again.
    const failed = { ...paid, status: 'failed' as const };
    expect(await storeProcessorPayout(database.db, 'pp-a', failed, source)).toEqual({ outcome: 'statusChanged', from: 'paid' });
    expect(await storeProcessorPayout(database.db, 'pp-a', paid, source)).toMatchObject({ outcome: 'conflict' });
    expect(await storeProcessorPayout(database.db, 'pp-a', pending, source)).toMatchObject({ outcome: 'conflict' });
  });

  it('when a stored payout is read again with its status moved on but a line changed, then it is refused and the stored one is kept', async () => {
    const pending = payout(lines, { payoutId: 'po_lines', status: 'pending' });
    await storeProcessorPayout(database.db, 'pp-a', pending, source);
    const changed = payout([lines[0]!, payoutLine('txn_2', 'fee', -175)], { payoutId: 'po_lines', status: 'paid' });
    expect(await storeProcessorPayout(database.db, 'pp-a', changed, source)).toMatchObject({ outcome: 'conflict' });
    expect((await findProcessorPayout(database.db, 'pp-a', 'stripe', 'po_lines'))?.payout).toEqual(pending);
  });

  it('when payments are recorded with gateway transaction ids, then they are found by any of them, and only the tenant’s own', async () => {
    await recordLedgerEntry(
      database.db,
      { tenantId: 'pp-a', entity: 'payment', externalId: '101' },
      { state: 'synced', gateway: 'stripe', gatewayTransactionIds: ['pi_101', 'ch_101'] },
    );
    await recordLedgerEntry(
      database.db,
      { tenantId: 'pp-b', entity: 'payment', externalId: '101' },
      { state: 'synced', gateway: 'stripe', gatewayTransactionIds: ['ch_101'] },
    );
    const found = await listPaymentsByGatewayTransactionIds(database.db, 'pp-a', ['ch_101', 'pi_unknown']);
    expect(found.map((entry) => [entry.tenantId, entry.externalId])).toEqual([['pp-a', '101']]);
    expect(await listPaymentsByGatewayTransactionIds(database.db, 'pp-a', [])).toEqual([]);
  });
});
