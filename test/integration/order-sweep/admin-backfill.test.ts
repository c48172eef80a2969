import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ScheduleNotFoundError } from '@temporalio/client';
import { createTenant } from '../../../store/tenants.js';
import { orderSweepScheduleId } from '../../../workflows/order-sweep-contract.js';
import { orderToCashWorkflowId } from '../../../workflows/order-to-cash-contract.js';
import { bigCommerceConnection, startAdminApi, type AdminApiUnderTest } from '../../support/admin-api.js';
import { eventually } from '../../support/eventually.js';
import { uniqueId } from '../../support/harness.js';
import { startAdminWithTemporal, startSweepWorld, type AdminWithTemporal, type SweepWorld } from './support.js';
import type { StorefrontKind } from '../../../mappers/canonical-order.js';

const minute = 60_000;

describe('admin API: backfill and sweep on demand (dev server, FerretDB, sandboxes; OrderToCash stood in)', () => {
  let world: SweepWorld;
  let admin: AdminWithTemporal;
  const schedules: string[] = [];

  beforeAll(async () => {
    world = await startSweepWorld();
    admin = await startAdminWithTemporal(world);
  });
  afterAll(async () => {
    await Promise.allSettled(schedules.map((id) => world.client.schedule.getHandle(id).delete()));
    await admin?.close();
    await world?.close();
  });
  beforeEach(async () => {
    await world.resetSandboxes();
  });

  const tenantWithSchedule = async (storefront: StorefrontKind = 'bigcommerce') => {
    const tenantId = await world.fixture.createTenant(storefront);
    schedules.push(orderSweepScheduleId(tenantId));
    return tenantId;
  };

  const waitForBackfill = (tenantId: string, workflowId: string) =>
    eventually(() => admin.call('GET', `/api/v1/tenants/${tenantId}/backfill/${encodeURIComponent(workflowId)}`), {
      until: (answer) => answer.status !== 200 || answer.body.status !== 'running',
      what: `backfill ${workflowId} to finish`,
      timeoutMs: 10_000,
    });

  it('when a backfill is asked for a window then it answers 202 with the workflow, and every order changed in the window gets an OrderToCash', async () => {
    const tenantId = await world.fixture.createTenant('bigcommerce');

    const answer = await admin.call('POST', `/api/v1/tenants/${tenantId}/backfill`, {
      from: '2026-01-07T00:00:00Z',
      to: '2026-01-09T01:00:00+01:00',
    });

    expect(answer.status).toBe(202);
    expect(answer.body).toEqual({
      workflowId: `order-backfill:${tenantId}:2026-01-07T00:00:00.000Z:2026-01-09T00:00:00.000Z`,
      runId: expect.any(String),
    });
    const status = await waitForBackfill(tenantId, answer.body.workflowId);
    expect(status.status).toBe(200);
    expect(status.body).toMatchObject({
      workflowId: answer.body.workflowId,
      runId: answer.body.runId,
      status: 'completed',
      temporalStatus: 'COMPLETED',
      result: {
        from: '2026-01-07T00:00:00.000Z',
        to: '2026-01-09T00:00:00.000Z',
        pages: 2,
        listed: 2,
        started: 2,
        alreadyRunning: 0,
        refundsListed: 0,
        refundsStarted: 0,
        refundsAlreadyRunning: 0,
      },
    });
    expect(Date.parse(status.body.closedAt)).toBeGreaterThanOrEqual(Date.parse(status.body.startedAt));
    // The id as the curl in docs/order-sweep-and-backfill.md sends it: colons unescaped.
    expect((await admin.call('GET', `/api/v1/tenants/${tenantId}/backfill/${answer.body.workflowId}`)).body).toEqual(status.body);
    expect(await world.listOrderToCash(tenantId, 2)).toEqual([
      orderToCashWorkflowId(tenantId, '101'),
      orderToCashWorkflowId(tenantId, '102'),
    ]);
    expect(await world.inputOf(orderToCashWorkflowId(tenantId, '101'))).toEqual({
      tenantId,
      storefront: 'bigcommerce',
      orderId: '101',
      trigger: 'backfill',
    });
    const auditLog = await admin.call('GET', `/api/v1/tenants/${tenantId}/audit`);
    expect(auditLog.body.entries).toContainEqual(
      expect.objectContaining({
        action: 'backfill.start',
        target: answer.body.workflowId,
        details: { from: '2026-01-07T00:00:00.000Z', to: '2026-01-09T00:00:00.000Z' },
      }),
    );
  });

  it('when the same window is asked again, while running or after it finished, then it answers with the same workflow and run and starts nothing', async () => {
    const tenantId = await world.fixture.createTenant('bigcommerce');
    const body = { from: '2026-01-05T00:00:00Z', to: '2026-01-11T00:00:00Z' };

    const [first, second] = await Promise.all([
      admin.call('POST', `/api/v1/tenants/${tenantId}/backfill`, body),
      admin.call('POST', `/api/v1/tenants/${tenantId}/backfill`, body),
    ]);
    expect(first.status).toBe(202);
    expect(second.status).toBe(202);
    expect(second.body).toEqual(first.body);
    expect((await waitForBackfill(tenantId, first.body.workflowId)).body).toMatchObject({
      status: 'completed',
      result: { listed: 4, started: 4 },
    });

    const afterwards = await admin.call('POST', `/api/v1/tenants/${tenantId}/backfill`, {
      from: '2026-01-05T00:00:00.000Z',
      to: '2026-01-11T00:00:00.000Z',
    });
    expect(afterwards.status).toBe(202);
    expect(afterwards.body).toEqual(first.body);
    const runs = [];
    for await (const execution of world.client.workflow.list({ query: `WorkflowId = '${first.body.workflowId}'` }))
      runs.push(execution.runId);
    expect(runs).toEqual([first.body.runId]);
    expect(await world.listOrderToCash(tenantId, 4)).toHaveLength(4);
  });

  it.each([
    [
      'from equal to to',
      { from: '2026-01-05T00:00:00Z', to: '2026-01-05T00:00:00Z' },
      [{ path: 'from', message: 'from must be before to' }],
    ],
    ['from after to', { from: '2026-01-06T00:00:00Z', to: '2026-01-05T00:00:00Z' }, [{ path: 'from', message: 'from must be before to' }]],
    [
      'a window longer than 366 days',
      { from: '2024-01-01T00:00:00Z', to: '2025-01-02T00:00:01Z' },
      [{ path: 'to', message: 'the window must be at most 366 days; split a longer backfill into several' }],
    ],
    [
      'a window ending in the future',
      { from: '2026-01-05T00:00:00Z', to: new Date(Date.now() + 5 * minute).toISOString() },
      [{ path: 'to', message: 'to must not be in the future (a minute of clock skew is allowed)' }],
    ],
    [
      'a date without a time',
      { from: '2026-01-05', to: '2026-01-06T00:00:00Z' },
      [{ path: 'from', message: 'from must be an ISO 8601 date-time with a time zone, e.g. 2026-01-31T00:00:00Z' }],
    ],
    [
      'a missing end',
      { from: '2026-01-05T00:00:00Z' },
      [{ path: 'to', message: 'to must be an ISO 8601 date-time with a time zone, e.g. 2026-01-31T00:00:00Z' }],
    ],
  ])('when the backfill window is %s then it answers 400 with the reason and starts nothing', async (_case, body, details) => {
    const tenantId = await world.fixture.createTenant('bigcommerce');
    const answer = await admin.call('POST', `/api/v1/tenants/${tenantId}/backfill`, body);
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatchObject({ code: 'validation_failed', details });
    const started = [];
    for await (const execution of world.client.workflow.list({ query: `WorkflowType = 'orderBackfill' AND TenantId = '${tenantId}'` }))
      started.push(execution.workflowId);
    expect(started).toEqual([]);
  });

  it('when a window of exactly 366 days ending within the clock-skew minute is asked for then it is accepted', async () => {
    const tenantId = await world.fixture.createTenant('bigcommerce');
    const to = new Date(Date.now() + 30_000);
    const from = new Date(to.getTime() - 366 * 24 * 60 * minute);
    const answer = await admin.call('POST', `/api/v1/tenants/${tenantId}/backfill`, { from: from.toISOString(), to: to.toISOString() });
    expect(answer.status).toBe(202);
    expect((await waitForBackfill(tenantId, answer.body.workflowId)).body).toMatchObject({ status: 'completed', result: { listed: 4 } });
  });

  it('when a backfill id is unknown or belongs to another tenant then its status is 404', async () => {
    const tenantId = await world.fixture.createTenant('bigcommerce');
    const other = await world.fixture.createTenant('bigcommerce');
    const started = await admin.call('POST', `/api/v1/tenants/${other}/backfill`, {
      from: '2026-01-05T00:00:00Z',
      to: '2026-01-06T00:00:00Z',
    });
    expect(started.status).toBe(202);

    const foreign = await admin.call('GET', `/api/v1/tenants/${tenantId}/backfill/${encodeURIComponent(started.body.workflowId)}`);
    expect(foreign.status).toBe(404);
    const unknown = await admin.call(
      'GET',
      `/api/v1/tenants/${tenantId}/backfill/${encodeURIComponent(`order-backfill:${tenantId}:2026-01-01T00:00:00.000Z:2026-01-02T00:00:00.000Z`)}`,
    );
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('not_found');
    const noTenant = await admin.call('POST', `/api/v1/tenants/${uniqueId('nobody')}/backfill`, {
      from: '2026-01-05T00:00:00Z',
      to: '2026-01-06T00:00:00Z',
    });
    expect(noTenant.status).toBe(404);
  });

  it('when a backfill fails then its status says failed, with the reason', async () => {
    // A tenant without settings: the listing fails for good (TenantNotConfigured), without retries.
    const tenantId = uniqueId('t');
    await createTenant(world.fixture.database.db, { id: tenantId, name: 'Half set up', storefront: 'bigcommerce' });
    const answer = await admin.call('POST', `/api/v1/tenants/${tenantId}/backfill`, {
      from: '2026-01-05T00:00:00Z',
      to: '2026-01-06T00:00:00Z',
    });
    expect(answer.status).toBe(202);

    const status = await waitForBackfill(tenantId, answer.body.workflowId);
    expect(status.body).toMatchObject({ status: 'failed', temporalStatus: 'FAILED', failure: expect.stringContaining('has no settings') });
    expect(status.body.result).toBeUndefined();
  });

  it('when a sweep is asked for through the admin API then the tenant schedule starts a run at once, which moves the cursor', async () => {
    const tenantId = await tenantWithSchedule();
    await world.touchBigCommerceOrder(103, 9);

    const answer = await admin.call('POST', `/api/v1/tenants/${tenantId}/sweep`);

    expect(answer.status).toBe(202);
    expect(answer.body).toEqual({ scheduleId: orderSweepScheduleId(tenantId) });
    const handle = world.client.schedule.getHandle(orderSweepScheduleId(tenantId));
    const description = await eventually(() => handle.describe(), {
      until: (described) => described.info.recentActions.length > 0,
      what: 'the schedule to record its triggered run',
      timeoutMs: 10_000,
    });
    expect(description.info.recentActions).toHaveLength(1);
    const run = description.info.recentActions[0]!.action.workflow;
    expect(run.workflowId.startsWith(`order-sweep-run:${tenantId}`)).toBe(true);
    const result = await world.client.workflow.getHandle(run.workflowId, run.firstExecutionRunId).result();
    expect(result).toMatchObject({ tenantId, listed: 1, started: 1 });
    expect(await world.listOrderToCash(tenantId, 1)).toEqual([orderToCashWorkflowId(tenantId, '103')]);

    const state = await admin.call('GET', `/api/v1/tenants/${tenantId}/sweep`);
    expect(state.status).toBe(200);
    expect(state.body).toMatchObject({
      scheduleId: orderSweepScheduleId(tenantId),
      paused: false,
      everyMinutes: 15,
      lastSweptUntil: result.until,
      runningWorkflowIds: [],
    });
    expect(Date.parse(state.body.nextRunAt)).toBeGreaterThan(Date.now() - minute);
  });

  it('when settings are written through the admin API then the sweep schedule follows them: interval, paused while off or while the tenant is disabled', async () => {
    const tenantId = await tenantWithSchedule();
    const handle = world.client.schedule.getHandle(orderSweepScheduleId(tenantId));
    await expect(handle.describe()).rejects.toBeInstanceOf(ScheduleNotFoundError);
    const patch = async (sweep: Record<string, unknown>) => {
      const current = await admin.call('GET', `/api/v1/tenants/${tenantId}/settings`);
      const answer = await admin.call('PATCH', `/api/v1/tenants/${tenantId}/settings`, {
        version: current.body.version,
        settings: { orderSync: { sweep } },
      });
      expect(answer.status).toBe(200);
      return handle.describe();
    };

    let description = await patch({ everyMinutes: 30 });
    expect(description.spec.intervals?.[0]?.every).toBe(30 * minute);
    expect(description.policies.overlap).toBe('SKIP');
    expect(description.state.paused).toBe(false);

    description = await patch({ enabled: false });
    expect(description.state.paused).toBe(true);
    expect(description.spec.intervals?.[0]?.every).toBe(30 * minute);

    description = await patch({ enabled: true, everyMinutes: 5 });
    expect(description.state.paused).toBe(false);
    expect(description.spec.intervals?.[0]?.every).toBe(5 * minute);

    expect((await admin.call('PATCH', `/api/v1/tenants/${tenantId}`, { status: 'disabled' })).status).toBe(200);
    expect((await handle.describe()).state.paused).toBe(true);
    expect((await admin.call('PATCH', `/api/v1/tenants/${tenantId}`, { status: 'active' })).status).toBe(200);
    expect((await handle.describe()).state.paused).toBe(false);
  });

  it('when settings carry an invalid sweep interval then they are refused and the schedule is left as it was', async () => {
    const tenantId = await tenantWithSchedule();
    const current = await admin.call('GET', `/api/v1/tenants/${tenantId}/settings`);
    const answer = await admin.call('PATCH', `/api/v1/tenants/${tenantId}/settings`, {
      version: current.body.version,
      settings: { orderSync: { sweep: { everyMinutes: 2 } } },
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error.details).toEqual([{ path: 'orderSync.sweep.everyMinutes', message: 'everyMinutes must be at least 5' }]);
    await expect(world.client.schedule.getHandle(orderSweepScheduleId(tenantId)).describe()).rejects.toBeInstanceOf(ScheduleNotFoundError);
  });
});

describe('admin API without a Temporal client', () => {
  let api: AdminApiUnderTest;

  beforeAll(async () => {
    api = await startAdminApi();
  });
  afterAll(async () => {
    await api?.close();
  });

  it('when backfill or sweep is asked for then it answers 503 saying Temporal is not configured, and settings are still written', async () => {
    const tenantId = uniqueId('t');
    const created = await api.call('POST', '/api/v1/tenants', {
      body: { id: tenantId, name: 'No Temporal', connection: bigCommerceConnection },
    });
    expect(created.status).toBe(201);
    expect(created.body.settings.settings.orderSync.sweep).toEqual({ enabled: true, everyMinutes: 15, lookbackMinutes: 60 });

    for (const [method, path, body] of [
      ['POST', `/api/v1/tenants/${tenantId}/backfill`, { from: '2026-01-05T00:00:00Z', to: '2026-01-06T00:00:00Z' }],
      ['GET', `/api/v1/tenants/${tenantId}/backfill/${encodeURIComponent(`order-backfill:${tenantId}:x`)}`, undefined],
      ['POST', `/api/v1/tenants/${tenantId}/sweep`, undefined],
      ['GET', `/api/v1/tenants/${tenantId}/sweep`, undefined],
    ] as const) {
      const answer = await api.call(method, path, body === undefined ? {} : { body });
      expect(answer.status, `${method} ${path}`).toBe(503);
      expect(answer.body.error).toMatchObject({
        code: 'temporal_not_configured',
        message: expect.stringContaining('without a Temporal client'),
      });
    }

    const patched = await api.call('PATCH', `/api/v1/tenants/${tenantId}/settings`, {
      body: { version: 1, settings: { orderSync: { sweep: { everyMinutes: 60 } } } },
    });
    expect(patched.status).toBe(200);
    expect(patched.body.settings.orderSync.sweep.everyMinutes).toBe(60);
  });

  it('when the OpenAPI document is read then it describes the backfill and sweep calls', async () => {
    const document = await api.call('GET', '/api/v1/openapi.json');
    expect(Object.keys(document.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/tenants/{tenantId}/backfill',
        '/api/v1/tenants/{tenantId}/backfill/{workflowId}',
        '/api/v1/tenants/{tenantId}/sweep',
      ]),
    );
    expect(document.body.paths['/api/v1/tenants/{tenantId}/backfill'].post.requestBody.content['application/json'].schema.required).toEqual(
      ['from', 'to'],
    );
  });
});
