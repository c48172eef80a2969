import type { Client } from '@temporalio/client';
import type { Db } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../../config/index.js';
import { parseTenantSettings, type TenantSettings } from '../../../store/schemas/settings.js';
import { writeSettings } from '../../../store/settings.js';
import { createTenant } from '../../../store/tenants.js';
import { inventoryCatchupWindowMs, inventoryReconcileSchedule } from '../../../schedules/inventory-reconcile.js';
import { ensureTenantSchedule, ensureTenantScheduleForEveryTenant, type TenantScheduleOptions } from '../../../schedules/schedule-sync.js';
import { operatorPauseNote } from '../../../schedules/schedule-sync.js';
import { inventoryReconcileScheduleId } from '../../../workflows/inventory-reconcile-contract.js';
import { bigCommerceConnection } from '../../support/admin-api.js';
import { connectTestClient, openTestDatabase, testConfig, uniqueId } from '../../support/harness.js';

const ensureInventorySchedule = (
  client: Client,
  taskQueue: string,
  tenantId: string,
  settings: TenantSettings,
  options?: TenantScheduleOptions,
) => ensureTenantSchedule(inventoryReconcileSchedule, client, taskQueue, tenantId, settings, options);
const ensureAllInventorySchedules = (client: Client, db: Db, taskQueue: string) =>
  ensureTenantScheduleForEveryTenant(inventoryReconcileSchedule, client, db, taskQueue);

function settingsWith(inventory: Record<string, unknown>, timezone = 'America/Chicago'): TenantSettings {
  const parsed = parseTenantSettings({ connection: bigCommerceConnection, orderSync: { triggerStatuses: ['11'] }, inventory, timezone });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.settings;
}

describe('inventory reconciliation schedules (dev server)', () => {
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
    created.push(inventoryReconcileScheduleId(tenantId));
    return tenantId;
  };
  const describeSchedule = (tenantId: string) => client.schedule.getHandle(inventoryReconcileScheduleId(tenantId)).describe();
  const ensure = (tenantId: string, settings: TenantSettings, tenantDisabled = false) =>
    ensureInventorySchedule(client, config.temporal.taskQueue, tenantId, settings, { tenantDisabled });

  it('when inventory sync is on then the schedule is created: the cron in the tenant time zone, overlap SKIP, a one-hour catch-up window, starting inventoryReconcile for the tenant', async () => {
    const tenantId = newTenantId();

    expect(await ensure(tenantId, settingsWith({ enabled: true, schedule: '30 2 * * MON-FRI' }))).toBe('created');

    const description = await describeSchedule(tenantId);
    expect(description.spec.timezone).toBe('America/Chicago');
    expect(description.spec.calendars).toHaveLength(1);
    expect(description.spec.calendars![0]).toMatchObject({
      minute: [{ start: 30, end: 30, step: 1 }],
      hour: [{ start: 2, end: 2, step: 1 }],
    });
    expect(description.spec.intervals).toEqual([]);
    expect(description.policies).toMatchObject({ overlap: 'SKIP', catchupWindow: inventoryCatchupWindowMs, pauseOnFailure: false });
    expect(inventoryCatchupWindowMs).toBe(60 * 60_000);
    expect(description.state).toMatchObject({ paused: false, note: 'reconciles on "30 2 * * MON-FRI" (America/Chicago)' });
    expect(description.action).toMatchObject({
      type: 'startWorkflow',
      workflowType: 'inventoryReconcile',
      workflowId: `inventory-reconcile:${tenantId}`,
      taskQueue: config.temporal.taskQueue,
      args: [{ tenantId }],
    });
    // The next run is 02:30 Chicago time on a weekday.
    const next = description.info.nextActionTimes[0]!;
    const local = new Intl.DateTimeFormat('en-US', {
      timeZone: 'America/Chicago',
      hour: '2-digit',
      minute: '2-digit',
      weekday: 'short',
      hourCycle: 'h23',
    }).formatToParts(next);
    const part = (type: string) => local.find((entry) => entry.type === type)?.value;
    expect([part('hour'), part('minute')]).toEqual(['02', '30']);
    expect(['Mon', 'Tue', 'Wed', 'Thu', 'Fri']).toContain(part('weekday'));
  });

  it('when it is ensured again with the same settings then it is left unchanged', async () => {
    const tenantId = newTenantId();
    await ensure(tenantId, settingsWith({ enabled: true }));
    const before = await describeSchedule(tenantId);

    expect(await ensure(tenantId, settingsWith({ enabled: true }))).toBe('unchanged');

    expect((await describeSchedule(tenantId)).info.lastUpdatedAt).toEqual(before.info.lastUpdatedAt);
  });

  it('when the cron or the time zone changes then the schedule is updated to it', async () => {
    const tenantId = newTenantId();
    await ensure(tenantId, settingsWith({ enabled: true }));

    expect(await ensure(tenantId, settingsWith({ enabled: true, schedule: '0 4 * * *' }))).toBe('updated');
    let description = await describeSchedule(tenantId);
    expect(description.spec.calendars![0]).toMatchObject({
      minute: [{ start: 0, end: 0, step: 1 }],
      hour: [{ start: 4, end: 4, step: 1 }],
    });

    expect(await ensure(tenantId, settingsWith({ enabled: true, schedule: '0 4 * * *' }, 'Europe/London'))).toBe('updated');
    description = await describeSchedule(tenantId);
    expect(description.spec.timezone).toBe('Europe/London');
    expect(description.state.paused).toBe(false);
  });

  it('when inventory sync is off (the default) then the schedule exists paused with the reason, and turning it on resumes it', async () => {
    const tenantId = newTenantId();
    expect(await ensure(tenantId, settingsWith({}))).toBe('created');
    let description = await describeSchedule(tenantId);
    expect(description.state).toMatchObject({ paused: true, note: 'paused: inventory.enabled is false' });

    expect(await ensure(tenantId, settingsWith({ enabled: true }))).toBe('updated');
    description = await describeSchedule(tenantId);
    expect(description.state.paused).toBe(false);
  });

  it('when the tenant is disabled then its schedule is paused even with inventory sync on', async () => {
    const tenantId = newTenantId();
    await ensure(tenantId, settingsWith({ enabled: true }));
    expect(await ensure(tenantId, settingsWith({ enabled: true }), true)).toBe('updated');
    expect((await describeSchedule(tenantId)).state).toMatchObject({ paused: true, note: 'paused: the tenant is disabled' });
  });

  it('when an operator paused it then a settings change updates the cron but keeps it paused; settings turning inventory off replace the pause with theirs', async () => {
    const tenantId = newTenantId();
    await ensure(tenantId, settingsWith({ enabled: true }));
    await client.schedule.getHandle(inventoryReconcileScheduleId(tenantId)).pause(operatorPauseNote('stocktake'));

    expect(await ensure(tenantId, settingsWith({ enabled: true }))).toBe('unchanged');
    expect(await ensure(tenantId, settingsWith({ enabled: true, schedule: '0 5 * * *' }))).toBe('updated');
    let description = await describeSchedule(tenantId);
    expect(description.state).toMatchObject({ paused: true, note: 'paused by an operator: stocktake' });
    expect(description.spec.calendars![0]).toMatchObject({ hour: [{ start: 5, end: 5, step: 1 }] });

    expect(await ensure(tenantId, settingsWith({ enabled: false, schedule: '0 5 * * *' }))).toBe('updated');
    description = await describeSchedule(tenantId);
    expect(description.state).toMatchObject({ paused: true, note: 'paused: inventory.enabled is false' });
  });

  it('when two processes ensure the same new schedule at once then both succeed and one schedule exists', async () => {
    const tenantId = newTenantId();
    const outcomes = await Promise.all([1, 2].map(() => ensure(tenantId, settingsWith({ enabled: true }))));
    expect(outcomes).toContain('created');
    expect((await describeSchedule(tenantId)).state.paused).toBe(false);
  });

  it('when the worker starts then every tenant with settings gets its schedule, paused for a disabled tenant, and tenants without settings are passed over', async () => {
    const active = newTenantId();
    const disabled = newTenantId();
    const bare = newTenantId();
    for (const tenantId of [active, disabled, bare])
      await createTenant(database.db, { id: tenantId, name: tenantId, storefront: 'bigcommerce' });
    await database.db.collection('tenants').updateOne({ _id: disabled as never }, { $set: { status: 'disabled' } });
    await writeSettings(database.db, active, settingsWith({ enabled: true, schedule: '15 * * * *' }), {
      expectedVersion: 0,
      changedBy: 'test',
    });
    await writeSettings(database.db, disabled, settingsWith({ enabled: true }), { expectedVersion: 0, changedBy: 'test' });

    const result = await ensureAllInventorySchedules(client, database.db, config.temporal.taskQueue);

    expect(result).toEqual({ ensured: { [active]: 'created', [disabled]: 'created' }, failed: [] });
    expect((await describeSchedule(active)).spec.calendars![0]).toMatchObject({ minute: [{ start: 15, end: 15, step: 1 }] });
    expect((await describeSchedule(disabled)).state.paused).toBe(true);
    await expect(describeSchedule(bare)).rejects.toThrow();
    expect(await ensureAllInventorySchedules(client, database.db, config.temporal.taskQueue)).toEqual({
      ensured: { [active]: 'unchanged', [disabled]: 'unchanged' },
      failed: [],
    });
  });
});
