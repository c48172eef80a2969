import type { WorkflowHandle } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import {
  orderChangedSignal,
  orderToCashStatusQuery,
  retryOrderUpdate,
  type OrderToCashResult,
} from '../../../workflows/order-to-cash-contract.js';
import { eventually } from '../../support/eventually.js';
import { uniqueId } from '../../support/harness.js';
import { useWatchWorldWorkflows, WatchWorld, type WatchActivity } from './watch-world.js';
import '../../support/quiet-runtime.js';

/**
 * Nothing after posting fails the workflow: each activity of the fulfilment watch, refused for
 * good, parks the order (Running, step `parked`, the vendor's message in the attention item)
 * until an operator's retry, and the retry goes on from the look that parked. And the tenant's
 * `onPermanentFailure: "unwind"` undoes what posting created when a posting step is refused.
 * Dev server, stand-in activities (`watch-world.ts`).
 */
describe('OrderToCash parks instead of failing after posting (dev server, stand-in activities)', () => {
  const start = useWatchWorldWorkflows();

  /** How each watch activity is brought to run: what the world shows once the order is posted. */
  const scenarios: { activity: WatchActivity; failure: string; arrange: (world: WatchWorld) => void; paymentWaitsForInvoice?: true }[] = [
    { activity: 'fetchStorefrontOrder', failure: 'fetching the changed order from the storefront', arrange: shippedInStore },
    { activity: 'checkOrder', failure: 'checking the changed order', arrange: shippedInStore },
    { activity: 'readShipmentStatus', failure: 'looking for shipments of Sales Order-SO-0001', arrange: shippedInStore },
    {
      activity: 'syncShipmentToStorefront',
      failure: 'adding tracking 1ZINTACCT to the storefront',
      arrange: (world) => {
        world.intacctShipment = true;
        shippedInStore(world);
      },
    },
    {
      activity: 'convertToInvoice',
      failure: 'converting shipment 1ZSTORE (1 unit(s)) of Sales Order-SO-0001 to a Sales Invoice',
      arrange: shippedInStore,
    },
    {
      activity: 'recordPayment',
      failure: 'recording the payment',
      arrange: shippedInStore,
      paymentWaitsForInvoice: true,
    },
  ];

  it.each(scenarios)(
    'when $activity is refused for good in the watch, then the order is Running and parked with the message, and a retry completes it',
    async ({ activity, failure, arrange, paymentWaitsForInvoice = false }) => {
      const world = new WatchWorld();
      world.paymentWaitsForInvoice = paymentWaitsForInvoice;
      // The tenant unwinds refused postings; a refusal in the watch still keeps what is posted.
      world.plan.onPermanentFailure = 'unwind';
      world.failing.set(activity, WatchWorld.refusal(activity));
      const handle = await start(world);
      await untilStep(handle, 'awaiting_fulfilment');
      arrange(world);
      await handle.signal(orderChangedSignal, {
        deliveryId: uniqueId('d'),
        topic: 'store/shipment/created',
        occurredAt: '2026-11-04T10:00:00Z',
      });

      await untilStep(handle, 'parked');
      expect((await handle.describe()).status.name).toBe('RUNNING');
      expect((await handle.query(orderToCashStatusQuery)).attention).toMatchObject({
        code: 'rejected',
        reason: `${failure} failed: the vendor refused ${activity}`,
      });
      await eventually(() => world.calls.includes('writeBack:needs_attention'), { what: 'the park to be recorded in the store' });
      expect(world.calls).toContain('park:rejected');
      expect(world.calls).not.toContain('cancelSalesDocument');

      world.failing.delete(activity);
      await handle.executeUpdate(retryOrderUpdate);
      const result = (await handle.result()) as OrderToCashResult;

      expect(result.outcome).toBe('synced');
      expect(result.status.attention).toBeUndefined();
      expect(result.status.intacct.invoiceDocumentId).toBe('Sales Invoice-INV-0001');
      const watch = world.calls.slice(world.calls.indexOf('writeBack:synced') + 1);
      expect(watch.filter((call) => call === activity)).toHaveLength(2);
      expect(watch.indexOf('clearOrderAttention')).toBeGreaterThan(watch.indexOf('park:rejected'));
      expect(watch.filter((call) => call === 'convertToInvoice').length).toBe(activity === 'convertToInvoice' ? 2 : 1);
      expect(watch).toContain('writeBack:synced');
    },
  );

  it('when the tenant unwinds on refusal and the payment is refused, then the sales document is cancelled, and a retry posts it again', async () => {
    const world = new WatchWorld();
    world.plan.onPermanentFailure = 'unwind';
    world.plan.fulfilment.watchDays = 0;
    world.refusePayment = true;
    const handle = await start(world);

    await untilStep(handle, 'parked');
    // The stand-in records the cancellation when it starts; the status forgets the document once it has finished.
    const parked = await eventually(() => handle.query(orderToCashStatusQuery), {
      what: 'the unwind of the sales document',
      until: (status) => world.calls.includes('cancelSalesDocument') && status.intacct.salesDocumentId === undefined,
    });
    expect(parked.attention).toMatchObject({ code: 'rejected', reason: 'recording the payment failed: the vendor refused recordPayment' });
    expect(parked.intacct).toEqual({});
    expect(world.calls.slice(world.calls.indexOf('park:rejected'))).toEqual([
      'park:rejected',
      'writeBack:needs_attention',
      'cancelSalesDocument',
    ]);

    world.refusePayment = false;
    await handle.executeUpdate(retryOrderUpdate);
    const result = (await handle.result()) as OrderToCashResult;
    expect(result.outcome).toBe('synced');
    expect(result.status.intacct).toMatchObject({ salesDocumentId: 'Sales Order-SO-0001', paymentKey: 'P-1' });
    expect(world.calls.filter((call) => call === 'createSalesDocument')).toHaveLength(2);
  });

  it('when the tenant parks on refusal (the default) and the payment is refused, then the sales document stays', async () => {
    const world = new WatchWorld();
    world.plan.fulfilment.watchDays = 0;
    world.refusePayment = true;
    const handle = await start(world);

    await untilStep(handle, 'parked');
    await eventually(() => world.calls.includes('writeBack:needs_attention'), { what: 'the park to be recorded in the store' });
    expect((await handle.query(orderToCashStatusQuery)).intacct.salesDocumentId).toBe('Sales Order-SO-0001');
    expect(world.calls).not.toContain('cancelSalesDocument');
    await handle.terminate('test over');
  });
});

function shippedInStore(world: WatchWorld): void {
  world.shipAll();
}

/** Waits until the order's workflow reports `step`. */
async function untilStep(handle: WorkflowHandle, step: string): Promise<void> {
  await eventually(async () => (await handle.query(orderToCashStatusQuery)).step === step, {
    what: `the order to reach ${step}`,
    timeoutMs: 20_000,
  });
}
