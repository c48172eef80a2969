import { createRequire } from 'node:module';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  orderChangedSignal,
  orderToCashStatusQuery,
  orderToCashWorkflowId,
  type OrderToCashInput,
  type WriteBackInput,
} from '../../../workflows/order-to-cash-contract.js';
import { aCanonicalOrder } from '../../support/builders.js';
import { eventually } from '../../support/eventually.js';
import { createTimeSkippingEnvironmentWithSearchAttributes, uniqueId } from '../../support/harness.js';
import { withTestWorker } from '../../support/test-worker.js';
import { WatchWorld } from './watch-world.js';
import '../../support/quiet-runtime.js';

const require = createRequire(import.meta.url);

/**
 * A storm of webhooks about a posted order that change nothing (a store replaying its backlog):
 * the fulfilment watch looks at the order's stamp for the first three at once, then once per
 * 30 s, so the storm costs each order a look per half minute rather than one per webhook.
 * Time-skipping server, so the half minute passes when the test says.
 */
describe('OrderToCash paces its looks under a storm of webhooks that change nothing (time-skipping server, stand-in activities)', () => {
  let env: TestWorkflowEnvironment;

  beforeAll(async () => {
    env = await createTimeSkippingEnvironmentWithSearchAttributes();
  });
  afterAll(async () => {
    await env?.teardown();
  });

  it('when webhooks that change nothing keep coming, then three are looked at at once, the rest once per 30 s, and a change is looked at as soon as the wait ends', async () => {
    const world = new WatchWorld();
    const stamp = '2026-12-01T10:00:00Z (status 11, shipped 0 of 1)';
    const looks: number[] = [];
    let storefrontChanged = false;
    let fetches = 0;
    const taskQueue = uniqueId('pacing');
    await withTestWorker(
      {
        connection: env.nativeConnection,
        taskQueue,
        workflowsPath: require.resolve('../../../workflows/index.ts'),
        activities: {
          ...world.activities(),
          fetchStorefrontOrder: () => {
            fetches += 1;
            return Promise.resolve({ ...aCanonicalOrder(), storefrontStamp: stamp });
          },
          writeBackToStorefront: async (input: WriteBackInput) => {
            await world.activities().writeBackToStorefront(input);
            return { storefrontStamp: stamp };
          },
          detectStorefrontOrderChange: async () => {
            looks.push(await env.currentTimeMs());
            return { changed: storefrontChanged, storefrontStamp: storefrontChanged ? `${stamp} later` : stamp };
          },
          updateSalesOrderToMatch: () => Promise.reject(new Error('the order is not edited in this test')),
        },
      },
      async () => {
        const input: OrderToCashInput = { tenantId: 'acme', storefront: 'bigcommerce', orderId: uniqueId('o'), trigger: 'webhook' };
        const handle = await env.client.workflow.start('orderToCash', {
          workflowId: orderToCashWorkflowId(input.tenantId, input.orderId),
          taskQueue,
          args: [input],
        });
        await eventually(async () => (await handle.query(orderToCashStatusQuery)).step === 'awaiting_fulfilment', {
          what: 'the order to be posted and watched',
        });
        const webhook = (n: number) =>
          handle.signal(orderChangedSignal, { deliveryId: `d-${n}`, topic: 'store/order/updated', occurredAt: '2026-12-01T10:00:00Z' });

        for (const n of [1, 2, 3]) {
          await webhook(n);
          await eventually(() => looks.length === n, { what: `look ${n}, at once` });
        }
        await webhook(4);
        await webhook(5);
        // The fourth waits for the half minute: in real time nothing more is looked at.
        await new Promise((resolve) => setTimeout(resolve, 1_500));
        expect(looks).toHaveLength(3);

        // The store changes the order meanwhile: the look after the wait sees it, and one look answers both webhooks.
        storefrontChanged = true;
        await env.sleep(31_000);
        await eventually(() => looks.length === 4, { what: 'the paced look' });
        expect(looks[3]! - looks[2]!).toBeGreaterThanOrEqual(30_000);
        // Posting fetched once; the change is the second.
        await eventually(() => fetches === 2, { what: 'the change to be fetched' });
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        expect(looks).toHaveLength(4);

        // A look that found a change starts the count again: the next webhook is looked at at once.
        storefrontChanged = false;
        await webhook(6);
        await eventually(() => looks.length === 5, { what: 'a look at once after the change' });
        expect(looks[4]! - looks[3]!).toBeLessThan(30_000);
        await handle.terminate('the test is over');
      },
    );
  });
});
