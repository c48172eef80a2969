import { createRequire } from 'node:module';
import { WorkflowNotFoundError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderToCashWorkflowId } from '../../../workflows/order-to-cash-contract.js';
import { returnToCreditMemoWorkflowId } from '../../../workflows/return-to-credit-memo-contract.js';
import { endlessScheduledRun, failingScheduledRun } from '../../fixtures/workflows/index.js';
import { bigCommerceConnection, startAdminApi, type AdminApiUnderTest } from '../../support/admin-api.js';
import { eventually } from '../../support/eventually.js';
import { connectTestClient, testConfig, uniqueId } from '../../support/harness.js';
import { startTestWorker, type RunningTestWorker } from '../../support/test-worker.js';

const require = createRequire(import.meta.url);

describe("erasing a shopper deletes their orders' closed workflow executions from Temporal", () => {
  const config = testConfig();
  const tenantId = uniqueId('erase').toLowerCase();
  let client: Awaited<ReturnType<typeof connectTestClient>>;
  let worker: RunningTestWorker;
  let api: AdminApiUnderTest;
  const ids = {
    closedOrder: orderToCashWorkflowId(tenantId, '501'),
    closedRefund: returnToCreditMemoWorkflowId(tenantId, 'r-9'),
    openOrder: orderToCashWorkflowId(tenantId, '502'),
    othersOrder: orderToCashWorkflowId(tenantId, '503'),
  };

  beforeAll(async () => {
    client = await connectTestClient(config);
    worker = await startTestWorker({ config, workflowsPath: require.resolve('../../fixtures/workflows/index.ts'), activities: {} });
    api = await startAdminApi({ temporal: { client, taskQueue: worker.taskQueue } });
    expect(
      (await api.call('POST', '/api/v1/tenants', { body: { id: tenantId, name: tenantId, connection: bigCommerceConnection } })).status,
    ).toBe(201);
    const start = { taskQueue: worker.taskQueue };
    for (const workflowId of [ids.closedOrder, ids.closedRefund, ids.othersOrder])
      await client.workflow
        .execute(failingScheduledRun, { ...start, workflowId, args: ['closed for the erasure test'] })
        .catch(() => undefined);
    await client.workflow.start(endlessScheduledRun, { ...start, workflowId: ids.openOrder });
    const entry = (entity: string, externalId: string, workflowId: string, orderExternalId?: string) => ({
      _id: `${tenantId}:${entity}:${externalId}` as never,
      tenantId,
      entity,
      externalId,
      workflowId,
      ...(orderExternalId && { orderExternalId }),
      state: 'synced',
      attempts: 1,
      createdAt: new Date(),
      updatedAt: new Date(),
    });
    await api.database.db
      .collection('sync_ledger')
      .insertMany([
        entry('order', '501', ids.closedOrder),
        entry('refund', 'r-9', ids.closedRefund, '501'),
        entry('order', '502', ids.openOrder),
        entry('order', '503', ids.othersOrder),
      ]);
    const query = Object.values(ids)
      .map((id) => `WorkflowId = "${id}"`)
      .join(' OR ');
    await eventually(async () => (await client.workflow.count(`(${query}) AND ExecutionStatus != "Running"`)).count, {
      until: (count) => count === 3,
      what: 'the closed executions in visibility',
      intervalMs: 250,
    });
  });
  afterAll(async () => {
    await client?.workflow
      .getHandle(ids.openOrder)
      .terminate('end of the erasure test')
      .catch(() => undefined);
    await worker?.stop();
    await api?.close();
    await client?.close();
  });

  it("when an erasure names the shopper's orders, then their closed executions (the order's and its refund's) are deleted and reported, a running one is listed and kept, and another shopper's stays", async () => {
    const answer = await api.call('POST', `/api/v1/tenants/${tenantId}/customers/42/erasure`, { body: { orderIds: ['501', '502'] } });
    expect(answer.status).toBe(200);
    const deleted = (answer.body.workflowExecutions.deleted as Array<{ workflowId: string }>).map((run) => run.workflowId).sort();
    expect(deleted).toEqual([ids.closedOrder, ids.closedRefund].sort());
    expect(answer.body.workflowExecutions.open).toEqual([{ workflowId: ids.openOrder, runId: expect.any(String) }]);

    // The server deletes a closed execution's history in the background: seconds on the dev server, more under load.
    await Promise.all(
      [ids.closedOrder, ids.closedRefund].map((workflowId) =>
        eventually(
          () =>
            client.workflow
              .getHandle(workflowId)
              .describe()
              .then(
                () => 'there',
                (error: unknown) => (error instanceof WorkflowNotFoundError ? 'gone' : 'error'),
              ),
          { until: (state) => state === 'gone', what: `${workflowId} deleted`, timeoutMs: 100_000, intervalMs: 500 },
        ),
      ),
    );
    expect((await client.workflow.getHandle(ids.openOrder).describe()).status.name).toBe('RUNNING');
    expect((await client.workflow.getHandle(ids.othersOrder).describe()).status.name).toBe('FAILED');

    const audits = await api.call('GET', `/api/v1/tenants/${tenantId}/audit`);
    expect(JSON.stringify(audits.body)).toContain('"deletedExecutions":2');
  });
});
