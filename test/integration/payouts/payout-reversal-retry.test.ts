import { describe, expect, it } from 'vitest';
import { startPayoutFailureReversal } from '../../../api/payout-starts.js';
import { listAttention } from '../../../store/attention.js';
import { recordPayoutPosting, type PayoutPosting } from '../../../store/payout-postings.js';
import { payoutFailureReversalWorkflowId, type PayoutFailureReversalResult } from '../../../workflows/payout-failure-reversal-contract.js';
import { eventually } from '../../support/eventually.js';
import { uniqueId } from '../../support/harness.js';
import { useEndToEndTenant, type OrderToCashStack } from '../../support/order-to-cash-stack.js';
import { connectStripe } from './payout-e2e-support.js';
import '../../support/quiet-runtime.js';

/**
 * The reversal of a payout that failed after it posted parks when it cannot post (here: the
 * gateway it posted with has no close settings any more) and an operator retries it through the
 * admin API once the settings are back. The product's worker and API on the dev server, Intacct
 * sandbox.
 */
describe('PayoutFailureReversal: parked on a configuration failure, retried by an operator', () => {
  let stack: OrderToCashStack;
  let tenantId: string;

  useEndToEndTenant(
    {
      storefront: 'bigcommerce',
      stripe: true,
      prepare: async (started, tenant) => void (await connectStripe(started, tenant)),
    },
    (started) => ({ stack, tenantId } = started),
  );

  it('when the gateway a posted payout used has no settings, then its reversal parks; after the fix the retry route reverses it once', async () => {
    const payoutId = uniqueId('po-rev');
    const today = new Date().toISOString().slice(0, 10);
    const posted: Omit<PayoutPosting, 'updatedAt'> = {
      tenantId,
      processor: 'settlement-file',
      payoutId,
      gateway: 'retired-gateway',
      currency: 'USD',
      postingDate: today,
      state: 'posted',
      figures: { net: 5_000, fees: 0, byKind: { charge: 5_000 } },
      journalKeys: [],
      variances: [],
      variancesApproved: false,
      workflowId: 'payout-reconcile:test',
    };
    await recordPayoutPosting(stack.database.db, posted);
    const path = `/tenants/${tenantId}/payouts/settlement-file/${payoutId}/reversal`;
    const temporal = { client: stack.client, taskQueue: stack.config.temporal.taskQueue };
    expect(await startPayoutFailureReversal(temporal, { tenantId, processor: 'settlement-file', payoutId, failedOn: today })).toBe(
      'started',
    );

    const parked = await eventually(() => stack.admin('GET', `${path}/status`), {
      until: (answer) => answer.status === 200 && answer.body.status.step === 'parked',
      what: 'the reversal to park',
      timeoutMs: 90_000,
      intervalMs: 250,
    });
    expect(parked.body.status.attention).toMatchObject({ code: 'payout_settings_missing' });
    expect(parked.body.status.attention.reason).toContain('retired-gateway');
    const itemKey = `payout:settlement-file:${payoutId}:reversal`;
    const openItems = async () =>
      (await listAttention(stack.database.db, tenantId, { state: 'open', entity: 'tenant' }, { limit: 500 })).items.filter(
        (item) => item.externalId === itemKey,
      );
    expect((await openItems()).map((item) => item.code)).toEqual(['payout_settings_missing']);

    // The fix: the payout's gateway has close settings again.
    await recordPayoutPosting(stack.database.db, { ...posted, gateway: 'testgateway' });
    expect(await stack.admin('POST', `${path}/retry`)).toMatchObject({ status: 200 });
    const handle = stack.client.workflow.getHandle(payoutFailureReversalWorkflowId(tenantId, 'settlement-file', payoutId));
    const result = (await handle.result()) as PayoutFailureReversalResult;
    expect(result.outcome).toBe('reversed');

    const batches = (await stack.intacctRecords('GLBATCH')).filter((batch) => batch.REFERENCENO === `${payoutId}-failed`);
    expect(batches.map((batch) => batch.RECORDNO)).toEqual([result.journalKey]);
    expect(await openItems()).toEqual([]);
    // Done: nothing waits for another retry.
    expect(await stack.admin('POST', `${path}/retry`)).toMatchObject({ status: 409, body: { error: { code: 'payout_workflow_closed' } } });
  });
});
