import { describe, expect, it } from 'vitest';
import { storefrontItemTargetOf } from '../../api/webhooks/event-routing.js';
import type { StorefrontEvent } from '../../api/webhooks/ports.js';
import type { StorefrontKind } from '../../mappers/canonical-order.js';
import { catalogSyncSchedule } from '../../schedules/catalog-sync.js';
import { priceListSyncSchedule } from '../../schedules/price-list-sync.js';
import { parseTenantSettings, type TenantSettings } from '../../store/schemas/settings.js';
import { storefrontItemIntakeWorkflowId } from '../../workflows/storefront-item-intake-contract.js';

const settingsWith = (items: Record<string, unknown>, timezone = 'Europe/Berlin'): TenantSettings => {
  const parsed = parseTenantSettings({
    connection: { storefront: { kind: 'bigcommerce', storeHash: 'demostore' }, intacct: { companyId: 'DEMO-CO' } },
    orderSync: { triggerStatuses: ['11'] },
    catalog: { items },
    timezone,
  });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.settings;
};

describe('priceListSyncSchedule.desired', () => {
  it('when the item sync is on and a price list is mapped, then priceListSync runs on the item sync’s cron', () => {
    expect(
      priceListSyncSchedule.desired(
        'queue',
        'acme',
        settingsWith({ enabled: true, schedule: '5 * * * *', priceLists: { WHOLESALE: '1' } }),
      ),
    ).toMatchObject({
      scheduleId: 'price-list-sync:acme',
      spec: { cronExpressions: ['5 * * * *'], timezone: 'Europe/Berlin' },
      action: { workflowType: 'priceListSync', workflowId: 'price-list-sync:acme', args: [{ tenantId: 'acme' }] },
      overlap: 'SKIP',
      paused: false,
      note: 'syncs price lists on "5 * * * *" (Europe/Berlin)',
    });
  });

  it.each<[string, Record<string, unknown>, boolean, string]>([
    ['the item sync off', { priceLists: { WHOLESALE: '1' } }, false, 'paused: catalog.items.enabled is false'],
    ['no price list mapped (the default)', { enabled: true }, false, 'paused: catalog.items.priceLists maps no price list'],
    [
      'the store owning prices',
      { enabled: true, fields: { price: 'storefront' }, priceLists: { WHOLESALE: '1' } },
      false,
      'paused: catalog.items.fields.price is not intacct',
    ],
    ['the tenant disabled', { enabled: true, priceLists: { WHOLESALE: '1' } }, true, 'paused: the tenant is disabled'],
  ])('when %s, then it is paused with the reason', (_name, items, tenantDisabled, note) => {
    expect(priceListSyncSchedule.desired('queue', 'acme', settingsWith(items), { tenantDisabled })).toMatchObject({ paused: true, note });
  });

  it('when a mapped storefront price list is not a number, then the settings are refused at its path', () => {
    const parsed = parseTenantSettings({
      connection: { storefront: { kind: 'bigcommerce', storeHash: 'demostore' }, intacct: { companyId: 'DEMO-CO' } },
      orderSync: { triggerStatuses: ['11'] },
      catalog: { items: { priceLists: { WHOLESALE: 'wholesale' } } },
    });
    expect(!parsed.ok && parsed.errors.map((error) => error.path)).toEqual(['catalog.items.priceLists.WHOLESALE']);
  });
});

describe('catalogSyncSchedule.desired', () => {
  it('when the item sync is on, then the schedule runs catalogSync for the tenant on its cron in its time zone, overlap SKIP', () => {
    expect(catalogSyncSchedule.desired('queue', 'acme', settingsWith({ enabled: true, schedule: '5 * * * *' }))).toEqual({
      scheduleId: 'catalog-sync:acme',
      spec: { cronExpressions: ['5 * * * *'], timezone: 'Europe/Berlin' },
      action: {
        workflowType: 'catalogSync',
        workflowId: 'catalog-sync:acme',
        taskQueue: 'queue',
        args: [{ tenantId: 'acme' }],
        typedSearchAttributes: [expect.objectContaining({ value: 'acme' })],
        // A scheduled sync is bulk work: behind live orders, fair among tenants.
        priority: { fairnessKey: 'acme', priorityKey: 4 },
      },
      overlap: 'SKIP',
      catchupWindowMs: 3_600_000,
      paused: false,
      note: 'syncs items on "5 * * * *" (Europe/Berlin)',
    });
  });

  it.each<[string, Record<string, unknown>, boolean, string]>([
    ['when the item sync is off (the default), then it is paused with the reason', {}, false, 'paused: catalog.items.enabled is false'],
    ['when the tenant is disabled, then it is paused even with the sync on', { enabled: true }, true, 'paused: the tenant is disabled'],
  ])('%s', (_name, items, tenantDisabled, note) => {
    const desired = catalogSyncSchedule.desired('queue', 'acme', settingsWith(items), { tenantDisabled });
    expect(desired).toMatchObject({ paused: true, note });
    expect(catalogSyncSchedule.note(settingsWith(items), { tenantDisabled })).toBe(note);
  });

  it('when the schedule is not valid cron, then the settings are refused at its path', () => {
    const parsed = parseTenantSettings({
      connection: { storefront: { kind: 'bigcommerce', storeHash: 'demostore' }, intacct: { companyId: 'DEMO-CO' } },
      orderSync: { triggerStatuses: ['11'] },
      catalog: { items: { schedule: '*/30 * * *' } },
    });
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.errors.map((error) => error.path)).toEqual(['catalog.items.schedule']);
  });
});

describe('storefrontItemTargetOf', () => {
  const event = (storefront: StorefrontKind, topic: string, entity: StorefrontEvent['entity'], entityId: string): StorefrontEvent => ({
    tenantId: 'acme',
    storefront,
    topic,
    entity,
    entityId,
    deliveryId: 'd1',
    occurredAt: '2026-03-01T00:00:00.000Z',
  });

  it.each<[string, StorefrontEvent, ReturnType<typeof storefrontItemTargetOf>]>([
    [
      'when BigCommerce creates a product, then the product is taken in',
      event('bigcommerce', 'store/product/created', 'product', '120'),
      { kind: 'bigcommerceProduct', productId: '120' },
    ],
    [
      'when BigCommerce creates a SKU, then that variant is taken in',
      event('bigcommerce', 'store/sku/created', 'product', '301'),
      { kind: 'bigcommerceVariant', variantId: '301' },
    ],
    ['when a product only changed, then nothing is taken in', event('bigcommerce', 'store/product/updated', 'product', '120'), undefined],
    ['when a product is deleted, then nothing is taken in', event('bigcommerce', 'store/product/deleted', 'product', '120'), undefined],
    ['when an order is created, then nothing is taken in', event('bigcommerce', 'store/order/created', 'order', '100'), undefined],
    [
      'when Clarity reports a product changed, then its SKU is taken in (Clarity documents no creation event)',
      event('clarity', 'product.updated', 'product', 'SKU-1'),
      { kind: 'claritySku', sku: 'SKU-1' },
    ],
    ['when Clarity reports an order, then nothing is taken in', event('clarity', 'order.created', 'order', 'CO-1'), undefined],
  ])('%s', (_name, input, expected) => {
    expect(storefrontItemTargetOf(input)).toEqual(expected);
  });

  it('when the same record is created twice, then both deliveries name one intake workflow', () => {
    expect(storefrontItemIntakeWorkflowId('acme', { kind: 'bigcommerceProduct', productId: '120' })).toBe(
      'storefront-item:acme:product:120',
    );
    expect(storefrontItemIntakeWorkflowId('acme', { kind: 'bigcommerceVariant', variantId: '301' })).toBe(
      'storefront-item:acme:variant:301',
    );
    expect(storefrontItemIntakeWorkflowId('acme', { kind: 'claritySku', sku: 'SKU-1' })).toBe('storefront-item:acme:sku:SKU-1');
  });
});
