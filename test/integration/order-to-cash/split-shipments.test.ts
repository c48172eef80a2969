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
import { useWatchWorldWorkflows, WatchWorld } from './watch-world.js';
import '../../support/quiet-runtime.js';

/**
 * The fulfilment watch follows an order shipped in parts: each storefront shipment is invoiced
 * on its own, once, for exactly what it carries (and what the shipments before it carried, so
 * the invoice takes the next units of each line), until every line is shipped; an order still
 * open when the watch ends parks as `fulfilment_incomplete`. Dev server, stand-in activities.
 */
describe('OrderToCash follows split shipments (dev server, stand-in activities)', () => {
  const start = useWatchWorldWorkflows();

  const shipmentArrived = (handle: WorkflowHandle) =>
    handle.signal(orderChangedSignal, { deliveryId: uniqueId('d'), topic: 'store/shipment/created', occurredAt: '2026-11-04T10:00:00Z' });

  it('when the store ships the order in three parts, then each part is invoiced once with its own units, and the watch ends with the last', async () => {
    const world = new WatchWorld();
    world.orderLines = [
      { lineId: '1', quantity: 3 },
      { lineId: '2', quantity: 2 },
    ];
    const handle = await start(world);
    await untilStep(handle, 'awaiting_fulfilment');

    world.ship([{ lineId: '1', quantity: 1 }]);
    await shipmentArrived(handle);
    await eventually(() => world.conversions.length === 1, { what: 'the first shipment to be invoiced' });
    // The same shipment's webhook again: looked at, not invoiced again.
    const looks = world.calls.filter((call) => call === 'readShipmentStatus').length;
    await shipmentArrived(handle);
    await eventually(() => world.calls.filter((call) => call === 'readShipmentStatus').length === looks + 1, { what: 'another look' });
    expect((await handle.query(orderToCashStatusQuery)).step).toBe('awaiting_fulfilment');

    world.ship([
      { lineId: '1', quantity: 2 },
      { lineId: '2', quantity: 1 },
    ]);
    await shipmentArrived(handle);
    await eventually(() => world.conversions.length === 2, { what: 'the second shipment to be invoiced' });
    world.ship([{ lineId: '2', quantity: 1 }]);
    await shipmentArrived(handle);
    const result = (await handle.result()) as OrderToCashResult;

    expect(result.outcome).toBe('synced');
    expect(result.status.intacct.invoiceDocumentIds).toEqual([
      'Sales Invoice-INV-0001',
      'Sales Invoice-INV-0002',
      'Sales Invoice-INV-0003',
    ]);
    expect(result.status.intacct.invoiceDocumentId).toBe('Sales Invoice-INV-0001');
    expect(world.conversions.map((conversion) => conversion.shipment)).toEqual([
      {
        shipmentId: '1',
        trackingNumber: '1ZSTORE',
        lines: [{ lineId: '1', quantity: 1 }],
        shippedBefore: [],
        orderLines: world.orderLines,
      },
      {
        shipmentId: '2',
        trackingNumber: '1ZSTORE2',
        lines: [
          { lineId: '1', quantity: 2 },
          { lineId: '2', quantity: 1 },
        ],
        shippedBefore: [{ lineId: '1', quantity: 1 }],
        orderLines: world.orderLines,
      },
      {
        shipmentId: '3',
        trackingNumber: '1ZSTORE3',
        lines: [{ lineId: '2', quantity: 1 }],
        shippedBefore: [
          { lineId: '1', quantity: 3 },
          { lineId: '2', quantity: 1 },
        ],
        orderLines: world.orderLines,
      },
    ]);
    expect(world.calls.filter((call) => call === 'wakeWaitingRefunds:invoiced')).toHaveLength(1);
  });

  it('when the watch ends with lines still open, then the order parks as fulfilment_incomplete naming them, and a retry after shipping completes it', async () => {
    const world = new WatchWorld();
    world.orderLines = [
      { lineId: '1', quantity: 3 },
      { lineId: '2', quantity: 2 },
    ];
    // Three seconds instead of days: settings allow whole days, the stand-in can say anything.
    world.plan.fulfilment.watchDays = 3 / 86_400;
    world.ship([{ lineId: '1', quantity: 1 }]);
    const handle = await start(world);

    await untilStep(handle, 'parked');
    expect((await handle.describe()).status.name).toBe('RUNNING');
    const parked = await handle.query(orderToCashStatusQuery);
    expect(parked.attention).toMatchObject({
      code: 'fulfilment_incomplete',
      reason: expect.stringContaining('(not shipped: line 1: 2 unit(s), line 2: 2 unit(s))'),
    });
    expect(parked.intacct.invoiceDocumentIds).toEqual(['Sales Invoice-INV-0001']);
    await eventually(() => world.calls.includes('park:fulfilment_incomplete'), { what: 'the park to be recorded' });

    world.shipAll();
    await handle.executeUpdate(retryOrderUpdate);
    const result = (await handle.result()) as OrderToCashResult;
    expect(result.outcome).toBe('synced');
    expect(result.status.attention).toBeUndefined();
    expect(result.status.intacct.invoiceDocumentIds).toEqual(['Sales Invoice-INV-0001', 'Sales Invoice-INV-0002']);
    expect(world.conversions[1]!.shipment?.lines).toEqual([
      { lineId: '1', quantity: 2 },
      { lineId: '2', quantity: 2 },
    ]);
    expect(world.calls.slice(world.calls.indexOf('park:fulfilment_incomplete'))).toEqual([
      'park:fulfilment_incomplete',
      'writeBack:needs_attention',
      'clearOrderAttention',
      'writeBack:synced',
      'readShipmentStatus',
      'convertToInvoice',
    ]);
  });
});

/** Waits until the order's workflow reports `step`. */
async function untilStep(handle: WorkflowHandle, step: string): Promise<void> {
  await eventually(async () => (await handle.query(orderToCashStatusQuery)).step === step, {
    what: `the order to reach ${step}`,
    timeoutMs: 20_000,
  });
}
