import { createRequire } from 'node:module';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderToCashWorkflowId, type OrderToCashInput, type OrderToCashResult } from '../../../workflows/order-to-cash-contract.js';
import { createTimeSkippingEnvironmentWithSearchAttributes, uniqueId } from '../../support/harness.js';
import { withTestWorker } from '../../support/test-worker.js';
import { WatchWorld } from './watch-world.js';
import '../../support/quiet-runtime.js';

const require = createRequire(import.meta.url);
const minute = 60_000;

/**
 * An outage after posting outlasts the activity's retries: the order parks as transient and
 * goes on by itself once the park's delay has passed, with no operator. Time-skipping server,
 * so the hour's poll, the ten minutes of retries and the half hour's park pass in seconds.
 */
describe('OrderToCash rides out an outage after posting (time-skipping server, stand-in activities)', () => {
  let env: TestWorkflowEnvironment;

  beforeAll(async () => {
    env = await createTimeSkippingEnvironmentWithSearchAttributes();
  });
  afterAll(async () => {
    await env?.teardown();
  });

  it('when Intacct is down for longer than the retries of the shipment look, then the order parks as transient and resumes on its own', async () => {
    const world = new WatchWorld();
    world.shipAll();
    world.failing.set('readShipmentStatus', WatchWorld.outage('readShipmentStatus'));
    const failedAt: number[] = [];
    let lookedAt: number | undefined;
    type ShipmentLook = ReturnType<WatchWorld['activities']>['readShipmentStatus'];
    /** Intacct is down for the first 20 minutes of the watch's first look: longer than the look's own retries. */
    const readShipmentStatus = async (...args: Parameters<ShipmentLook>): ReturnType<ShipmentLook> => {
      const now = await env.currentTimeMs();
      if (failedAt.length > 0 && now >= failedAt[0]! + 20 * minute) world.failing.delete('readShipmentStatus');
      try {
        const status = await world.activities().readShipmentStatus(...args);
        lookedAt = now;
        return status;
      } catch (error) {
        failedAt.push(now);
        throw error;
      }
    };
    const taskQueue = uniqueId('outage');
    const result = await withTestWorker(
      {
        connection: env.nativeConnection,
        taskQueue,
        workflowsPath: require.resolve('../../../workflows/index.ts'),
        activities: {
          ...world.activities(),
          readShipmentStatus,
        },
      },
      async () => {
        const input: OrderToCashInput = { tenantId: 'acme', storefront: 'bigcommerce', orderId: uniqueId('o'), trigger: 'webhook' };
        return (await env.client.workflow.execute('orderToCash', {
          workflowId: orderToCashWorkflowId(input.tenantId, input.orderId),
          taskQueue,
          args: [input],
        })) as OrderToCashResult;
      },
    );

    expect(result.outcome).toBe('synced');
    expect(result.status.intacct.invoiceDocumentId).toBe('Sales Invoice-INV-0001');
    expect(world.calls.filter((call) => call === 'park:unavailable')).toHaveLength(1);
    const afterPark = world.calls.slice(world.calls.indexOf('park:unavailable'));
    expect(afterPark).toEqual(
      expect.arrayContaining(['readShipmentStatus', 'convertToInvoice', 'clearOrderAttention', 'writeBack:synced']),
    );
    // The look's own retries gave up within the outage; the look after the park's delay went through.
    expect(failedAt.length).toBeGreaterThan(1);
    expect(failedAt.at(-1)! - failedAt[0]!).toBeLessThan(20 * minute);
    expect(lookedAt! - failedAt.at(-1)!).toBeGreaterThanOrEqual(30 * minute);
  });
});
