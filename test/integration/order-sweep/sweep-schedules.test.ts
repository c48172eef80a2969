import type { Client } from '@temporalio/client';
import type { Db } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTenantSettings, type TenantSettings } from '../../../store/schemas/settings.js';
import { writeSettings } from '../../../store/settings.js';
import { createTenant } from '../../../store/tenants.js';
import { orderSweepSchedule, sweepCatchupWindowMs } from '../../../schedules/order-sweep.js';
import { ensureTenantSchedule, ensureTenantScheduleForEveryTenant, type TenantScheduleOptions } from '../../../schedules/schedule-sync.js';
import { orderSweepScheduleId } from '../../../workflows/order-sweep-contract.js';
import { bigCommerceConnection } from '../../support/admin-api.js';
import { connectTestClient, openTestDatabase, testConfig, uniqueId } from '../../support/harness.js';
import type { Config } from '../../../config/index.js';

const ensureSweepSchedule = (
  client: Client,
  taskQueue: string,
  tenantId: string,
  settings: TenantSettings,
  options?: TenantScheduleOptions,
) => ensureTenantSchedule(orderSweepSchedule, client, taskQueue, tenantId, settings, options);
const ensureAllSweepSchedules = (client: Client, db: Db, taskQueue: string) =>
  ensureTenantScheduleForEveryTenant(orderSweepSchedule, client, db, taskQueue);

const minute = 60_000;

function settingsWith(sweep: Record<string, unknown>): TenantSettings {
  const parsed = parseTenantSettings({ connection: bigCommerceConnection, orderSync: { triggerStatuses: ['11'], sweep } });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.settings;
}

describe('sweep schedules (dev server)', () => {
  let config: Config;
  let client: Awaited<ReturnType<typeof connectTestClient>>;
  let database: Awaited<ReturnType<typeof openTestDatabase>>;
  const created: string[] = [];

  beforeAll(async () => {
    config = testConfig();
    client = await connectTestClient(config);
    database = await openTestDatabase(config);
  });
  afterAll(async () => {
    await Promise.allSettled(created.map((id) => client.schedule.getHandle(id).delete()));
    await client?.close();
    await database?.drop();
  });

  const newTenantId = () => {
    const tenantId = uniqueId('t');
    created.push(orderSweepScheduleId(tenantId));
    return tenantId;
  };
  const describeSchedule = (tenantId: string) => client.schedule.getHandle(orderSweepScheduleId(tenantId)).describe();

  it('when a tenant has no schedule then one is created: every everyMinutes, overlap SKIP, a 10-minute catch-up window, starting orderSweep for the tenant', async () => {
    const tenantId = newTenantId();

    expect(await ensureSweepSchedule(client, config.temporal.taskQueue, tenantId, settingsWith({}))).toBe('created');

    const description = await describeSchedule(tenantId);
    expect(description.spec.intervals).toHaveLength(1);
    expect(description.spec.intervals![0]!.every).toBe(15 * minute);
    const offset = description.spec.intervals![0]!.offset ?? 0;
    expect(offset % 1000).toBe(0);
    expect(offset).toBeLessThan(15 * minute);
    expect(description.policies).toMatchObject({ overlap: 'SKIP', catchupWindow: sweepCatchupWindowMs, pauseOnFailure: false });
    expect(sweepCatchupWindowMs).toBe(10 * minute);
    expect(description.state.paused).toBe(false);
    expect(description.action).toMatchObject({
      type: 'startWorkflow',
      workflowType: 'orderSweep',
      workflowId: `order-sweep-run:${tenantId}`,
      taskQueue: config.temporal.taskQueue,
      args: [{ tenantId }],
    });
    const attributes = description.action.typedSearchAttributes;
    const pairs = attributes === undefined ? [] : Array.isArray(attributes) ? attributes : attributes.getAll();
    expect(pairs).toEqual([expect.objectContaining({ key: expect.objectContaining({ name: 'TenantId' }), value: tenantId })]);
  });

  it('when it is ensured again with the same settings then it is left unchanged', async () => {
    const tenantId = newTenantId();
    await ensureSweepSchedule(client, config.temporal.taskQueue, tenantId, settingsWith({ everyMinutes: 20 }));
    const before = await describeSchedule(tenantId);

    expect(await ensureSweepSchedule(client, config.temporal.taskQueue, tenantId, settingsWith({ everyMinutes: 20 }))).toBe('unchanged');

    expect((await describeSchedule(tenantId)).info.lastUpdatedAt).toEqual(before.info.lastUpdatedAt);
  });

  it('when everyMinutes changes then the schedule is updated to the new interval', async () => {
    const tenantId = newTenantId();
    await ensureSweepSchedule(client, config.temporal.taskQueue, tenantId, settingsWith({}));

    expect(await ensureSweepSchedule(client, config.temporal.taskQueue, tenantId, settingsWith({ everyMinutes: 60 }))).toBe('updated');

    const description = await describeSchedule(tenantId);
    expect(description.spec.intervals).toHaveLength(1);
    expect(description.spec.intervals![0]!.every).toBe(60 * minute);
    expect(description.policies.overlap).toBe('SKIP');
    expect(description.state.paused).toBe(false);
  });

  it('when the sweep is turned off then the schedule is paused with the reason, and turning it on resumes it', async () => {
    const tenantId = newTenantId();
    await ensureSweepSchedule(client, config.temporal.taskQueue, tenantId, settingsWith({}));

    expect(await ensureSweepSchedule(client, config.temporal.taskQueue, tenantId, settingsWith({ enabled: false }))).toBe('updated');
    let description = await describeSchedule(tenantId);
    expect(description.state.paused).toBe(true);
    expect(description.state.note).toBe('paused: orderSync.sweep.enabled is false');

    expect(await ensureSweepSchedule(client, config.temporal.taskQueue, tenantId, settingsWith({ enabled: true }))).toBe('updated');
    description = await describeSchedule(tenantId);
    expect(description.state.paused).toBe(false);
  });

  it('when a tenant is created with the sweep off then its schedule starts paused', async () => {
    const tenantId = newTenantId();
    expect(await ensureSweepSchedule(client, config.temporal.taskQueue, tenantId, settingsWith({ enabled: false }))).toBe('created');
    expect((await describeSchedule(tenantId)).state.paused).toBe(true);
  });

  it('when the tenant is disabled then its schedule is paused even with the sweep on', async () => {
    const tenantId = newTenantId();
    await ensureSweepSchedule(client, config.temporal.taskQueue, tenantId, settingsWith({}));
    await ensureSweepSchedule(client, config.temporal.taskQueue, tenantId, settingsWith({}), { tenantDisabled: true });
    const description = await describeSchedule(tenantId);
    expect(description.state.paused).toBe(true);
    expect(description.state.note).toBe('paused: the tenant is disabled');
  });

  it('when the worker moves to another task queue then the schedule follows it', async () => {
    const tenantId = newTenantId();
    await ensureSweepSchedule(client, config.temporal.taskQueue, tenantId, settingsWith({}));
    expect(await ensureSweepSchedule(client, 'another-queue', tenantId, settingsWith({}))).toBe('updated');
    expect((await describeSchedule(tenantId)).action.taskQueue).toBe('another-queue');
  });

  it('when two processes ensure the same new schedule at once then both succeed and one schedule exists', async () => {
    const tenantId = newTenantId();
    const outcomes = await Promise.all(
      [1, 2].map(() => ensureSweepSchedule(client, config.temporal.taskQueue, tenantId, settingsWith({}))),
    );
    expect(outcomes).toContain('created');
    expect((await describeSchedule(tenantId)).spec.intervals![0]!.every).toBe(15 * minute);
  });

  it('when the worker starts then every tenant with settings gets its schedule, paused for a disabled tenant, and tenants without settings are passed over', async () => {
    const active = newTenantId();
    const disabled = newTenantId();
    const bare = newTenantId();
    for (const [tenantId, status] of [
      [active, 'active'],
      [disabled, 'disabled'],
      [bare, 'active'],
    ] as const) {
      await createTenant(database.db, { id: tenantId, name: tenantId, storefront: 'bigcommerce' });
      if (status === 'disabled')
        await database.db.collection('tenants').updateOne({ _id: tenantId as never }, { $set: { status: 'disabled' } });
    }
    await writeSettings(database.db, active, settingsWith({ everyMinutes: 45 }), { expectedVersion: 0, changedBy: 'test' });
    await writeSettings(database.db, disabled, settingsWith({}), { expectedVersion: 0, changedBy: 'test' });

    const result = await ensureAllSweepSchedules(client, database.db, config.temporal.taskQueue);

    expect(result).toEqual({ ensured: { [active]: 'created', [disabled]: 'created' }, failed: [] });
    expect((await describeSchedule(active)).spec.intervals![0]!.every).toBe(45 * minute);
    expect((await describeSchedule(disabled)).state.paused).toBe(true);
    await expect(describeSchedule(bare)).rejects.toThrow();

    expect(await ensureAllSweepSchedules(client, database.db, config.temporal.taskQueue)).toEqual({
      ensured: { [active]: 'unchanged', [disabled]: 'unchanged' },
      failed: [],
    });
  });
});
