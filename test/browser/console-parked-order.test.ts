import { describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.js';
import { useBrowser } from '../support/browser.js';
import { seriousAccessibilityViolations, signIn } from '../support/browser-console.js';
import { useEndToEndTenant, type OrderToCashStack } from '../support/order-to-cash-stack.js';
import '../support/quiet-runtime.js';

/** The end-to-end stack's bootstrap admin key (test/support/order-to-cash-stack.ts). */
const adminKey = 'e2e-bootstrap-key-0123456789abcdef';

/**
 * The operator's fix of a parked order, end to end: a Clarity order holding a SKU Intacct
 * cannot use parks as unknown_sku; the operator adds the item mapping row in the console's
 * mapping table, the order is retried, and it posts once.
 */
describe('console in Chromium: fixing a parked order with a mapping row', () => {
  const browser = useBrowser();
  let stack: OrderToCashStack;
  let tenantId: string;
  useEndToEndTenant({ storefront: 'clarity' }, (started) => ({ stack, tenantId } = started));

  it('when an order parks on an unknown SKU, then adding its row in the console and retrying posts it once', async () => {
    expect((await stack.clarity('PATCH', '/products/POSTER-CITY-A2', { active: true })).status).toBe(200);
    const created = await stack.clarity('POST', '/orders', {
      customerId: 'CU-2002',
      lineItems: [
        { sku: 'POSTER-CITY-A2', quantity: 1 },
        { sku: 'MUG-BLK-15OZ', quantity: 1 },
      ],
      status: 'processing',
    });
    expect(created.status).toBe(201);
    const orderId = (created.body as { orderId: string }).orderId;
    const parked = await stack.waitForOrder(tenantId, orderId, (current) => current.step === 'parked', 90_000);
    expect(parked.attention).toMatchObject({ code: 'unknown_sku', reason: expect.stringContaining('POSTER-CITY-A2') });
    await eventually(
      async () => (await stack.admin('GET', `/tenants/${tenantId}/attention?entity=order`)).body.items as Array<{ externalId: string }>,
      { until: (items) => items.some((item) => item.externalId === orderId), what: `order ${orderId} in the attention queue` },
    );

    const page = await browser.newPage(stack.api.url.replace('127.0.0.1', 'localhost'));
    await signIn(page, adminKey, `/console/tenants/${tenantId}/mappings/items`);
    const addRow = page.locator('section', { has: page.getByRole('heading', { name: 'Add a row' }) });
    await addRow.getByLabel('Storefront SKU').fill('POSTER-CITY-A2');
    await addRow.getByLabel('Intacct item ID').fill('MUG-CER-12OZ');
    await addRow.getByRole('button', { name: 'Add the row' }).click();
    await expect(page.getByRole('status').first().textContent()).resolves.toBe('Row POSTER-CITY-A2 saved.');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    const retried = await stack.admin('POST', `/tenants/${tenantId}/orders/${orderId}/retry`);
    expect(retried.status).toBe(200);
    const posted = await stack.waitForOrder(tenantId, orderId, (current) => current.step === 'awaiting_fulfilment', 90_000);
    expect(posted.attention).toBeUndefined();
    const documents = (await stack.intacctRecords('SODOCUMENT')).filter((document) => document.PONUMBER === orderId);
    expect(documents).toHaveLength(1);
    expect(await stack.ledger(tenantId, 'order', orderId)).toMatchObject({ state: 'synced' });
    const audit = (await stack.admin('GET', `/tenants/${tenantId}/audit?limit=50`)).body.entries as Array<{
      action: string;
      target: string;
    }>;
    expect(audit).toContainEqual(expect.objectContaining({ action: 'mapping.put', target: 'mapping:items:POSTER-CITY-A2' }));
  });
});
