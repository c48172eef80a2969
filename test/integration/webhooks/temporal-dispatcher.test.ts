import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StorefrontEvent } from '../../../api/webhooks/ports.js';
import { temporalDispatcher } from '../../../api/webhooks/temporal-dispatcher.js';
import type { Config } from '../../../config/index.js';
import { orderToCashWorkflowId } from '../../../workflows/order-to-cash-contract.js';
import { returnToCreditMemoWorkflowId } from '../../../workflows/return-to-credit-memo-contract.js';
import { receivedDeliveriesQuery } from '../../fixtures/workflows/index.js';
import { eventually } from '../../support/eventually.js';
import { connectTestClient, testConfig, uniqueId } from '../../support/harness.js';
import { startTestWorker, type RunningTestWorker } from '../../support/test-worker.js';

const require = createRequire(import.meta.url);

describe('Temporal dispatcher (dev server, OrderToCash stood in by a fixture workflow)', () => {
  let config: Config;
  let client: Awaited<ReturnType<typeof connectTestClient>>;
  let worker: RunningTestWorker;

  beforeAll(async () => {
    config = testConfig();
    client = await connectTestClient(config);
    worker = await startTestWorker({ config, workflowsPath: require.resolve('../../fixtures/workflows/index.ts'), activities: {} });
  });
  afterAll(async () => {
    await worker?.stop();
    await client?.close();
  });

  const orderEvent = (tenantId: string, orderId: string, deliveryId: string): StorefrontEvent => ({
    tenantId,
    storefront: 'bigcommerce',
    topic: 'store/order/statusUpdated',
    entity: 'order',
    entityId: orderId,
    deliveryId,
    occurredAt: '2026-11-23T12:00:00Z',
  });

  it('when five deliveries of one order arrive at once then one workflow runs and receives all five', async () => {
    const tenantId = uniqueId('t');
    const dispatcher = temporalDispatcher(client, config.temporal.taskQueue);
    const outcomes = await Promise.all(
      ['d1', 'd2', 'd3', 'd4', 'd5'].map((delivery) => dispatcher.dispatch(orderEvent(tenantId, '100', delivery))),
    );
    expect(outcomes).toEqual(Array(5).fill('signalled'));

    const workflowId = orderToCashWorkflowId(tenantId, '100');
    // Visibility may trail the start by a moment: wait until the workflow is listed, then count.
    const listExecutions = async () => {
      const found = [];
      for await (const execution of client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) found.push(execution);
      return found;
    };
    const executions = await eventually(
      async () => {
        const listed = await listExecutions();
        return listed.length > 0 && listed;
      },
      { what: `visibility to list ${workflowId}`, timeoutMs: 5_000 },
    );
    expect(executions).toHaveLength(1);
    expect(executions[0]!.searchAttributes).toMatchObject({
      TenantId: [tenantId],
      OrderNumber: ['100'],
      Storefront: ['bigcommerce'],
      SyncState: ['pending'],
    });
    // A webhook's order is live work, fair among tenants (workflows/task-priority.ts).
    expect((await client.workflow.getHandle(workflowId).describe()).priority).toMatchObject({ fairnessKey: tenantId, priorityKey: 2 });

    await dispatcher.dispatch(orderEvent(tenantId, '100', 'finish'));
    const received = await client.workflow.getHandle<() => Promise<string[]>>(workflowId).result();
    expect([...received].sort()).toEqual(['d1', 'd2', 'd3', 'd4', 'd5', 'finish']);
  });

  it('when a shipment arrives then it signals its order; a refund starts its own ReturnToCreditMemo', async () => {
    const tenantId = uniqueId('t');
    const dispatcher = temporalDispatcher(client, config.temporal.taskQueue);
    expect(await dispatcher.dispatch({ ...orderEvent(tenantId, '7', 's1'), entity: 'shipment', entityId: 'ship-1', orderId: '7' })).toBe(
      'signalled',
    );
    const handle = client.workflow.getHandle(orderToCashWorkflowId(tenantId, '7'));
    expect(await handle.query(receivedDeliveriesQuery)).toEqual(['s1']);
    expect(await dispatcher.dispatch({ ...orderEvent(tenantId, '8', 'r1'), entity: 'refund', entityId: 'refund-1', orderId: '8' })).toBe(
      'signalled',
    );
    const refund = await client.workflow.getHandle(returnToCreditMemoWorkflowId(tenantId, 'refund-1')).describe();
    expect(refund.type).toBe('returnToCreditMemo');
    expect(refund.searchAttributes).toMatchObject({ TenantId: [tenantId], OrderNumber: ['8'] });
    await client.workflow.getHandle(returnToCreditMemoWorkflowId(tenantId, 'refund-1')).terminate('test over');
    await handle.signal('orderChanged', { deliveryId: 'finish', topic: 'test', occurredAt: '' });
    await handle.result();
  });
});
