import type { ScheduleDescription } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { inventoryScheduleView } from '../../api/admin/inventory-schedule-routes.js';
import type { StorefrontEvent } from '../../api/webhooks/ports.js';
import { inventorySyncTargetOf } from '../../api/webhooks/event-routing.js';
import { parseInventoryReportCursor } from '../../store/inventory-reports.js';
import { parseTenantSettings, type TenantSettings } from '../../store/schemas/settings.js';
import { inventoryReconcileSchedule } from '../../schedules/inventory-reconcile.js';
import {
  isPausedByOperator,
  operatorPauseNote,
  scheduleMatches,
  scheduleSpecMemoKey,
  specFingerprint,
  specOfSchedule,
  type DesiredSchedule,
} from '../../schedules/schedule-sync.js';
import { desiredSweepSchedule } from '../../schedules/order-sweep.js';
import { inventorySkuSyncWorkflowId, type SkuSyncOutcome, type SkuSyncReport } from '../../workflows/inventory-sku-sync-contract.js';
import { unknownSkuError } from '../../api/admin/inventory-sku-routes.js';
import type { StorefrontKind } from '../../mappers/canonical-order.js';

function settingsWith(inventory: Record<string, unknown>, timezone = 'America/Chicago'): TenantSettings {
  const parsed = parseTenantSettings({
    connection: { storefront: { kind: 'bigcommerce', storeHash: 'acme' }, intacct: { companyId: 'ACME-CO' } },
    orderSync: { triggerStatuses: ['11'] },
    inventory,
    timezone,
  });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.settings;
}

describe('inventoryReconcileSchedule.desired', () => {
  it.each<[string, Record<string, unknown>, boolean, { paused: boolean; note: string }]>([
    [
      'when inventory sync is on, then it runs and says what',
      { enabled: true, schedule: '0 2 * * *' },
      false,
      { paused: false, note: 'reconciles on "0 2 * * *" (America/Chicago)' },
    ],
    [
      'when inventory sync is off (the default), then it is paused with the setting named',
      {},
      false,
      { paused: true, note: 'paused: inventory.enabled is false' },
    ],
    [
      'when the tenant is disabled, then it is paused for that, whatever the setting',
      { enabled: true },
      true,
      { paused: true, note: 'paused: the tenant is disabled' },
    ],
  ])('%s', (_name, inventory, tenantDisabled, state) => {
    const desired = inventoryReconcileSchedule.desired('queue-a', 'acme', settingsWith(inventory), { tenantDisabled });
    expect({ paused: desired.paused, note: desired.note }).toEqual(state);
  });

  it('when built, then it is the tenant cron in its time zone, overlap SKIP, an hour of catch-up, starting inventoryReconcile for the tenant', () => {
    const desired = inventoryReconcileSchedule.desired(
      'queue-a',
      'acme',
      settingsWith({ enabled: true, schedule: '*/30 * * * *' }, 'Asia/Tokyo'),
    );
    expect(desired).toMatchObject({
      scheduleId: 'inventory-reconcile:acme',
      spec: { cronExpressions: ['*/30 * * * *'], timezone: 'Asia/Tokyo' },
      action: {
        workflowType: 'inventoryReconcile',
        workflowId: 'inventory-reconcile:acme',
        taskQueue: 'queue-a',
        args: [{ tenantId: 'acme' }],
      },
      overlap: 'SKIP',
      catchupWindowMs: 3_600_000,
    });
  });
});

/** A schedule description as Temporal returns one written from `desired`. */
function described(
  desired: DesiredSchedule,
  overrides: { paused?: boolean; note?: string; memoSpec?: string; timezone?: string; args?: unknown[] } = {},
): Pick<ScheduleDescription, 'spec' | 'action' | 'policies' | 'state'> {
  return {
    spec: {
      calendars: [],
      intervals: (desired.spec.intervals ?? []).map((interval) => ({ ...interval })),
      skip: [],
      timezone: overrides.timezone ?? desired.spec.timezone,
    },
    action: {
      type: 'startWorkflow',
      ...desired.action,
      args: overrides.args ?? desired.action.args,
      memo: { [scheduleSpecMemoKey]: overrides.memoSpec ?? specFingerprint(desired.spec) },
    },
    policies: { overlap: desired.overlap, catchupWindow: desired.catchupWindowMs, pauseOnFailure: false },
    state: { paused: overrides.paused ?? desired.paused, note: overrides.note ?? desired.note },
  } as unknown as Pick<ScheduleDescription, 'spec' | 'action' | 'policies' | 'state'>;
}

describe('scheduleMatches', () => {
  const running = inventoryReconcileSchedule.desired('queue-a', 'acme', settingsWith({ enabled: true }));
  const off = inventoryReconcileSchedule.desired('queue-a', 'acme', settingsWith({}));
  const sweep = desiredSweepSchedule('queue-a', 'acme', { orderSync: settingsWith({}).orderSync });

  it.each<[string, DesiredSchedule, ReturnType<typeof described>, boolean]>([
    ['when the schedule was written from the same settings, then it matches', running, described(running), true],
    ['when an interval schedule was written from the same settings, then it matches', sweep, described(sweep), true],
    [
      'when the cron differs, then it does not',
      running,
      described(running, { memoSpec: specFingerprint({ cronExpressions: ['0 1 * * *'], timezone: 'America/Chicago' }) }),
      false,
    ],
    ['when the schedule predates the spec memo, then it does not', running, described(running, { memoSpec: 'whatever' }), false],
    ['when the time zone differs, then it does not', running, described(running, { timezone: 'UTC' }), false],
    ['when the input differs, then it does not', running, described(running, { args: [{ tenantId: 'other' }] }), false],
    [
      'when it should run and an operator paused it, then the pause is kept',
      running,
      described(running, { paused: true, note: operatorPauseNote('stocktake') }),
      true,
    ],
    [
      'when it should run and the settings had paused it, then it does not',
      running,
      described(running, { paused: true, note: 'paused: inventory.enabled is false' }),
      false,
    ],
    [
      'when the settings pause it and an operator paused it, then the settings’ reason replaces the operator’s',
      off,
      described(off, { paused: true, note: operatorPauseNote('stocktake') }),
      false,
    ],
    ['when the settings pause it and it runs, then it does not', off, described(off, { paused: false }), false],
  ])('%s', (_name, desired, current, expected) => {
    expect(scheduleMatches(current, desired)).toBe(expected);
  });
});

describe('operator pauses and the spec memo', () => {
  it.each<[string, { paused: boolean; note?: string }, boolean]>([
    ['when an operator paused it, then it is the operator’s pause', { paused: true, note: operatorPauseNote('counting') }, true],
    ['when the settings paused it, then it is not', { paused: true, note: 'paused: the tenant is disabled' }, false],
    ['when it runs with an operator’s resume note, then it is not paused at all', { paused: false, note: 'resumed by an operator' }, false],
    ['when it is paused without a note, then it is not the operator’s', { paused: true }, false],
  ])('%s', (_name, state, expected) => {
    expect(isPausedByOperator(state)).toBe(expected);
  });

  it('when a spec is written to the memo, then it reads back; anything else reads as unknown', () => {
    const spec = { cronExpressions: ['0 3 * * *'], timezone: 'Europe/Berlin' };
    expect(specOfSchedule({ memo: { [scheduleSpecMemoKey]: specFingerprint(spec) } })).toEqual(spec);
    expect(specOfSchedule({ memo: { [scheduleSpecMemoKey]: specFingerprint({ intervals: [{ every: 60_000, offset: 0 }] }) } })).toEqual({
      intervals: [{ every: 60_000, offset: 0 }],
    });
    expect(specOfSchedule({ memo: { [scheduleSpecMemoKey]: '{not json' } })).toBeUndefined();
    expect(specOfSchedule({})).toBeUndefined();
  });
});

describe('inventoryScheduleView', () => {
  const desired = inventoryReconcileSchedule.desired('queue-a', 'acme', settingsWith({ enabled: true, schedule: '0 3 * * *' }));
  const at = (iso: string) => new Date(iso);
  const info = {
    nextActionTimes: [
      '2026-03-02T09:00:00Z',
      '2026-03-03T09:00:00Z',
      '2026-03-04T09:00:00Z',
      '2026-03-05T09:00:00Z',
      '2026-03-06T09:00:00Z',
      '2026-03-07T09:00:00Z',
    ].map(at),
    recentActions: [
      {
        scheduledAt: at('2026-02-27T09:00:00Z'),
        takenAt: at('2026-02-27T09:00:01Z'),
        action: { type: 'startWorkflow', workflow: { workflowId: 'inventory-reconcile:acme-a', firstExecutionRunId: 'r1' } },
      },
      {
        scheduledAt: at('2026-02-28T09:00:00Z'),
        takenAt: at('2026-02-28T09:00:02Z'),
        action: { type: 'startWorkflow', workflow: { workflowId: 'inventory-reconcile:acme-b', firstExecutionRunId: 'r2' } },
      },
    ],
    runningActions: [{ type: 'startWorkflow', workflow: { workflowId: 'inventory-reconcile:acme-b', firstExecutionRunId: 'r2' } }],
  };

  it('when it runs, then the view lists five next runs, recent runs newest first and what is running', () => {
    const view = inventoryScheduleView('inventory-reconcile:acme', { ...described(desired), info } as unknown as ScheduleDescription);
    expect(view).toEqual({
      scheduleId: 'inventory-reconcile:acme',
      paused: false,
      note: 'reconciles on "0 3 * * *" (America/Chicago)',
      cron: '0 3 * * *',
      timezone: 'America/Chicago',
      overlap: 'SKIP',
      catchupWindowSeconds: 3600,
      nextRunsAt: [
        '2026-03-02T09:00:00.000Z',
        '2026-03-03T09:00:00.000Z',
        '2026-03-04T09:00:00.000Z',
        '2026-03-05T09:00:00.000Z',
        '2026-03-06T09:00:00.000Z',
      ],
      recentRuns: [
        {
          scheduledAt: '2026-02-28T09:00:00.000Z',
          startedAt: '2026-02-28T09:00:02.000Z',
          workflowId: 'inventory-reconcile:acme-b',
          runId: 'r2',
        },
        {
          scheduledAt: '2026-02-27T09:00:00.000Z',
          startedAt: '2026-02-27T09:00:01.000Z',
          workflowId: 'inventory-reconcile:acme-a',
          runId: 'r1',
        },
      ],
      runningWorkflowIds: ['inventory-reconcile:acme-b'],
    });
  });

  it.each<[string, string, 'operator' | 'settings']>([
    ['when an operator paused it, then it says so and lists no next runs', operatorPauseNote('stocktake'), 'operator'],
    ['when the settings paused it, then it says so', 'paused: inventory.enabled is false', 'settings'],
  ])('%s', (_name, note, pausedBy) => {
    const view = inventoryScheduleView('inventory-reconcile:acme', {
      ...described(desired, { paused: true, note }),
      info,
    } as unknown as ScheduleDescription);
    expect(view).toMatchObject({ paused: true, pausedBy, note, nextRunsAt: [] });
  });
});

describe('inventorySyncTargetOf', () => {
  const event = (storefront: StorefrontKind, topic: string, entity: StorefrontEvent['entity'], entityId: string): StorefrontEvent => ({
    tenantId: 'acme',
    storefront,
    topic,
    entity,
    entityId,
    deliveryId: 'd1',
    occurredAt: '2026-03-01T00:00:00.000Z',
  });

  it.each<[string, StorefrontEvent, ReturnType<typeof inventorySyncTargetOf>]>([
    [
      'when Clarity says a product changed, then its SKU syncs',
      event('clarity', 'product.updated', 'product', 'TSHIRT-BLK-M'),
      { kind: 'sku', sku: 'TSHIRT-BLK-M' },
    ],
    [
      'when BigCommerce says a product changed, then the product’s SKUs sync',
      event('bigcommerce', 'store/product/updated', 'product', '111'),
      { kind: 'bigcommerceProduct', productId: '111' },
    ],
    [
      'when BigCommerce creates a product, then its SKUs sync',
      event('bigcommerce', 'store/product/created', 'product', '120'),
      { kind: 'bigcommerceProduct', productId: '120' },
    ],
    [
      'when BigCommerce says a SKU changed, then that variant syncs',
      event('bigcommerce', 'store/sku/updated', 'product', '201'),
      { kind: 'bigcommerceVariant', variantId: '201' },
    ],
    [
      'when a product-tracked level changed, then the product syncs',
      event('bigcommerce', 'store/product/inventory/updated', 'inventory', '112'),
      { kind: 'bigcommerceProduct', productId: '112' },
    ],
    [
      'when a variant-tracked level changed, then the variant syncs',
      event('bigcommerce', 'store/sku/inventory/updated', 'inventory', '201'),
      { kind: 'bigcommerceVariant', variantId: '201' },
    ],
    [
      'when an order moved a product’s stock, then nothing syncs (Intacct learns of the order first)',
      event('bigcommerce', 'store/product/inventory/order/updated', 'inventory', '112'),
      undefined,
    ],
    [
      'when an order moved a variant’s stock, then nothing syncs',
      event('bigcommerce', 'store/sku/inventory/order/updated', 'inventory', '201'),
      undefined,
    ],
    ['when a product is deleted, then nothing syncs', event('bigcommerce', 'store/product/deleted', 'product', '111'), undefined],
    [
      'when a channel’s inventory changed (product or variant id, unknown which), then nothing syncs',
      event('bigcommerce', 'store/channel/1/inventory/product/stock_changed', 'inventory', '201'),
      undefined,
    ],
    ['when the event is about an order, then nothing syncs', event('bigcommerce', 'store/order/updated', 'order', '101'), undefined],
  ])('%s', (_name, input, expected) => {
    expect(inventorySyncTargetOf(input)).toEqual(expected);
  });
});

describe('inventorySkuSyncWorkflowId', () => {
  it.each<[string, Parameters<typeof inventorySkuSyncWorkflowId>[1], string]>([
    ['when the target is a SKU, then the id names it', { kind: 'sku', sku: 'TSHIRT-BLK-M' }, 'inventory-sku:acme:TSHIRT-BLK-M'],
    [
      'when the SKU holds a colon or a slash, then it is encoded and cannot pass for another key',
      { kind: 'sku', sku: 'product:111/A' },
      'inventory-sku:acme:product%3A111%2FA',
    ],
    [
      'when the target is a BigCommerce product, then the id names the product',
      { kind: 'bigcommerceProduct', productId: '111' },
      'inventory-sku:acme:product:111',
    ],
    [
      'when the target is a BigCommerce variant, then the id names the variant',
      { kind: 'bigcommerceVariant', variantId: '201' },
      'inventory-sku:acme:variant:201',
    ],
  ])('%s', (_name, target, expected) => {
    expect(inventorySkuSyncWorkflowId('acme', target)).toBe(expected);
  });
});

describe('parseInventoryReportCursor', () => {
  it.each<[string, string, ReturnType<typeof parseInventoryReportCursor>]>([
    [
      'when the cursor is one a page gave, then it reads back',
      Buffer.from(JSON.stringify(['2026-03-01T00:00:00.000Z', 'run-1'])).toString('base64url'),
      { finishedAt: '2026-03-01T00:00:00.000Z', runId: 'run-1' },
    ],
    ['when the cursor is not base64 JSON, then it is unknown', 'not-a-cursor', undefined],
    ['when the JSON has another shape, then it is unknown', Buffer.from(JSON.stringify({ a: 1 })).toString('base64url'), undefined],
  ])('%s', (_name, cursor, expected) => {
    expect(parseInventoryReportCursor(cursor)).toEqual(expected);
  });
});

describe('unknownSkuError', () => {
  const line = (outcome: SkuSyncOutcome, locationId?: string): SkuSyncReport => ({
    sku: 'MUG-CER-12OZ',
    outcome,
    intacctItemId: 'MUG-CER-12OZ',
    ...(locationId !== undefined && { locationId }),
  });
  it.each<[string, SkuSyncReport[], string | undefined]>([
    ['one line, pushed', [line('pushed')], undefined],
    ['one line, not in Intacct', [line('notInIntacct')], 'Intacct has no stock of item MUG-CER-12OZ for SKU MUG-CER-12OZ'],
    ['one line, unmapped', [line('unmapped')], 'no Intacct item maps to SKU MUG-CER-12OZ'],
    ['one line, not sold by the store', [line('notInStorefront')], 'the storefront has no SKU MUG-CER-12OZ'],
    ['location 1 without Intacct stock, location 2 pushed', [line('notInIntacct', '1'), line('pushed', '2')], undefined],
    ['location 1 pushed, location 2 without Intacct stock', [line('pushed', '1'), line('notInIntacct', '2')], undefined],
    ['both locations without Intacct stock', [line('notInIntacct', '1'), line('notInIntacct', '2')], 'Intacct has no stock'],
    ['a failed push is no unknown SKU', [line('failed')], undefined],
    ['no line for the SKU', [{ ...line('notInIntacct'), sku: 'CAP-NVY-OS' }], undefined],
  ])('when the sync reports %s, then the answer is %s', (_case, lines, message) => {
    const error = unknownSkuError('MUG-CER-12OZ', lines);
    if (message === undefined) expect(error).toBeUndefined();
    else expect(error).toMatchObject({ status: 404, code: 'unknown_sku', message: expect.stringContaining(message) });
  });
});
