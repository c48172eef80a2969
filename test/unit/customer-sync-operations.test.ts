import { describe, expect, it } from 'vitest';
import { routeStorefrontEvent } from '../../api/webhooks/event-routing.js';
import type { StorefrontEvent } from '../../api/webhooks/ports.js';
import { clarityCustomerPollSchedule } from '../../schedules/clarity-customer-poll.js';
import { customerSyncSchedule } from '../../schedules/customer-sync.js';
import { parseTenantSettings, type TenantSettings } from '../../store/schemas/settings.js';
import { customerSyncWorkflowId } from '../../workflows/customer-sync-contract.js';

const event = (storefront: StorefrontEvent['storefront'], topic: string, entityId: string): StorefrontEvent => ({
  tenantId: 'acme',
  storefront,
  topic,
  entity: 'customer',
  entityId,
  deliveryId: 'd1',
  occurredAt: '2026-12-07T10:00:00.000Z',
});

describe('routeStorefrontEvent for customers', () => {
  it.each<[string, StorefrontEvent, ReturnType<typeof routeStorefrontEvent>]>([
    [
      'when a shopper registers, then the customer syncs',
      event('bigcommerce', 'store/customer/created', '7'),
      { flow: 'customerSync', customerId: '7' },
    ],
    [
      'when a profile changes, then the customer syncs',
      event('bigcommerce', 'store/customer/updated', '7'),
      { flow: 'customerSync', customerId: '7' },
    ],
    [
      'when an address is added or changed, then its customer syncs',
      event('bigcommerce', 'store/customer/address/updated', '7'),
      { flow: 'customerSync', customerId: '7' },
    ],
    [
      'when a customer is deleted, then nothing starts (Intacct keeps its customer)',
      event('bigcommerce', 'store/customer/deleted', '7'),
      undefined,
    ],
    ['when an address is deleted, then nothing starts', event('bigcommerce', 'store/customer/address/deleted', '7'), undefined],
    [
      'when Clarity sends a customer event, then nothing starts (no customer writes in its contract)',
      event('clarity', 'customer.updated', 'CU-1'),
      undefined,
    ],
  ])('%s', (_name, input, expected) => {
    expect(routeStorefrontEvent(input)).toEqual(expected);
  });

  it('when two storefronts share a customer id, then their workflows differ', () => {
    expect(customerSyncWorkflowId('acme', 'bigcommerce', '7')).toBe('customer-sync:acme:bigcommerce:7');
    expect(customerSyncWorkflowId('acme', 'clarity', '7')).not.toBe(customerSyncWorkflowId('acme', 'bigcommerce', '7'));
  });
});

describe('customerSyncSchedule.desired', () => {
  const settingsWith = (customers: Partial<TenantSettings['catalog']['customers']>): TenantSettings => {
    const parsed = parseTenantSettings({
      connection: { storefront: { kind: 'bigcommerce', storeHash: 'demostore' }, intacct: { companyId: 'DEMO-CO' } },
      orderSync: { triggerStatuses: ['11'] },
      catalog: { customers },
    });
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    return parsed.settings;
  };

  it.each<[string, Partial<TenantSettings['catalog']['customers']>, boolean, string]>([
    ['when customer sync is off, then the schedule is paused and says why', {}, false, 'paused: catalog.customers.enabled is false'],
    ['when the tenant is disabled, then it is paused', { enabled: true }, true, 'paused: the tenant is disabled'],
    [
      'when it is on, then it polls on the tenant’s cron',
      { enabled: true, schedule: '*/15 * * * *' },
      false,
      'polls Intacct customers on "*/15 * * * *" (UTC)',
    ],
  ])('%s', (_name, customers, tenantDisabled, note) => {
    const settings = settingsWith(customers);
    const desired = customerSyncSchedule.desired('queue', 'acme', settings, { tenantDisabled });
    expect(customerSyncSchedule.note(settings, { tenantDisabled })).toBe(note);
    expect(desired).toMatchObject({
      scheduleId: 'customer-sync-poll:acme',
      overlap: 'SKIP',
      paused: note.startsWith('paused'),
      action: { workflowType: 'customerSyncPoll', workflowId: 'customer-sync-poll:acme', args: [{ tenantId: 'acme' }] },
      spec: { cronExpressions: [settings.catalog.customers.schedule] },
    });
  });

  it('when a group mapping names an empty group, then the settings are refused', () => {
    const parsed = parseTenantSettings({
      connection: { storefront: { kind: 'bigcommerce', storeHash: 'demostore' }, intacct: { companyId: 'DEMO-CO' } },
      orderSync: { triggerStatuses: ['11'] },
      catalog: { customers: { groups: { priceLists: { Wholesale: ' ' } } } },
    });
    expect(parsed.ok).toBe(false);
  });
});

describe('clarityCustomerPollSchedule.desired', () => {
  const settingsWith = (kind: 'bigcommerce' | 'clarity', customers: Partial<TenantSettings['catalog']['customers']>): TenantSettings => {
    const parsed = parseTenantSettings({
      connection: {
        storefront: kind === 'clarity' ? { kind, baseUrl: 'https://shop.example.com/api/v1' } : { kind, storeHash: 'demostore' },
        intacct: { companyId: 'DEMO-CO' },
      },
      orderSync: { triggerStatuses: kind === 'clarity' ? ['processing'] : ['11'] },
      catalog: { customers },
    });
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    return parsed.settings;
  };

  it.each<[string, 'bigcommerce' | 'clarity', Partial<TenantSettings['catalog']['customers']>, boolean, string]>([
    [
      'when the tenant sells on BigCommerce, then it is paused: webhooks start CustomerSync',
      'bigcommerce',
      { enabled: true },
      false,
      'paused: the tenant sells on bigcommerce, whose customer webhooks start CustomerSync',
    ],
    ['when customer sync is off, then it is paused and says why', 'clarity', {}, false, 'paused: catalog.customers.enabled is false'],
    ['when the tenant is disabled, then it is paused', 'clarity', { enabled: true }, true, 'paused: the tenant is disabled'],
    [
      'when a Clarity tenant has it on, then it polls on the customer sync’s cron',
      'clarity',
      { enabled: true, schedule: '*/15 * * * *' },
      false,
      'polls Clarity customers on "*/15 * * * *" (UTC)',
    ],
  ])('%s', (_name, kind, customers, tenantDisabled, note) => {
    const settings = settingsWith(kind, customers);
    expect(clarityCustomerPollSchedule.desired('queue', 'acme', settings, { tenantDisabled })).toMatchObject({
      scheduleId: 'clarity-customer-poll:acme',
      overlap: 'SKIP',
      paused: note.startsWith('paused'),
      note,
      action: { workflowType: 'clarityCustomerPoll', workflowId: 'clarity-customer-poll:acme', args: [{ tenantId: 'acme' }] },
      spec: { cronExpressions: [settings.catalog.customers.schedule] },
    });
  });
});
