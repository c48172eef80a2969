import { createRequire } from 'node:module';
import { createActivities } from '../../../activities/index.js';
import { connectTestClient } from '../../support/harness.js';
import { startOrderSyncFixture, type OrderSyncFixture } from '../../support/order-sync-fixture.js';
import { startTestWorker } from '../../support/test-worker.js';

const require = createRequire(import.meta.url);

/**
 * What a ReturnToCreditMemo suite runs against without the API: the sandboxes and a database
 * (`fixture`), a client, and a worker serving the returns fixture workflows with the product's
 * own activity set (refunds included, heartbeating as the worker registers them). The same
 * `activities` post a test's order first, called directly.
 */
export interface ReturnsWorld {
  fixture: OrderSyncFixture;
  client: Awaited<ReturnType<typeof connectTestClient>>;
  activities: ReturnType<typeof createActivities>;
  close(): Promise<void>;
}

export async function startReturnsWorld(): Promise<ReturnsWorld> {
  const fixture = await startOrderSyncFixture();
  const client = await connectTestClient(fixture.config);
  const activities = createActivities({ db: fixture.database.db, connections: fixture.connections });
  const worker = await startTestWorker({
    config: fixture.config,
    workflowsPath: require.resolve('../../fixtures/workflows/returns.ts'),
    activities,
    shutdownGraceTime: '1 second',
  });
  return {
    fixture,
    client,
    activities,
    async close() {
      await worker.stop();
      await client.close();
      await fixture.close();
    },
  };
}
