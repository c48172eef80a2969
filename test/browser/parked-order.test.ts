import { describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.js';
import { useBrowser } from '../support/browser.js';
import { seriousAccessibilityViolations, signIn } from '../support/browser-console.js';
import { useEndToEndTenant, type OrderToCashStack } from '../support/order-to-cash-stack.js';
import '../support/quiet-runtime.js';

/**
 * The operator's morning in the console, end to end: Clarity orders parked for a SKU Intacct
 * cannot use (sandbox webhooks, the dev server, FerretDB, the Intacct sandbox), the mapping
 * fixed, then one order retried from its attention item and the rest of the group by a bulk
 * retry whose count is shown first.
 */
describe('console in Chromium: parked orders retried from the attention queue', () => {
  const browser = useBrowser();
  let stack: OrderToCashStack;
  let tenantId: string;
  useEndToEndTenant({ storefront: 'clarity' }, (started) => ({ stack, tenantId } = started));

  async function parkedOrder(): Promise<string> {
    const created = await stack.clarity('POST', '/orders', {
      customerId: 'CU-2002',
      lineItems: [{ sku: 'POSTER-CITY-A2', quantity: 1 }],
      status: 'processing',
    });
    expect(created.status).toBe(201);
    const orderId = (created.body as { orderId: string }).orderId;
    await stack.waitForOrder(tenantId, orderId, (current) => current.step === 'parked');
    await eventually(
      async () => {
        const queue = await stack.admin('GET', `/tenants/${tenantId}/attention?entity=order&code=unknown_sku`);
        return (queue.body.items as Array<{ externalId: string }>).some((item) => item.externalId === orderId);
      },
      { until: Boolean, what: `order ${orderId} in the attention queue` },
    );
    return orderId;
  }

  it('when the mapping is fixed, then "Retry" on the item posts the order and a bulk retry, counted first, posts the rest of the group', async () => {
    // The store still sells a poster that Intacct has discontinued (inactive item).
    expect((await stack.clarity('PATCH', '/products/POSTER-CITY-A2', { active: true })).status).toBe(200);
    const [first, ...rest] = [await parkedOrder(), await parkedOrder(), await parkedOrder()];
    const issued = await stack.admin('POST', '/api-keys', { name: 'ops', role: 'operator', tenantId });
    expect(issued.status).toBe(201);

    const page = await browser.newPage(stack.api.url);
    await signIn(page, issued.body.token as string, `/console/tenants/${tenantId}/attention?code=unknown_sku`);
    await expect(page.getByRole('cell', { name: 'unknown_sku' }).innerText()).resolves.toBe('unknown_sku');
    const item = page.locator('li.item').filter({ has: page.getByRole('link', { name: first, exact: true }) });
    await expect(item.locator('dd').first().textContent()).resolves.toContain('POSTER-CITY-A2');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    const mapped = await stack.admin('PUT', `/tenants/${tenantId}/mappings/items/rows/POSTER-CITY-A2`, {
      storefrontSku: 'POSTER-CITY-A2',
      intacctItemId: 'MUG-CER-12OZ',
    });
    expect([200, 201]).toContain(mapped.status);

    await item.getByRole('button', { name: `Retry order ${first}` }).click();
    await expect(item.getByRole('status').textContent()).resolves.toContain(`Order ${first} retried.`);
    const posted = await stack.waitForOrder(tenantId, first, (current) => current.step === 'awaiting_fulfilment');
    await page.goto(`/console/tenants/${tenantId}/orders/${first}`);
    await expect(page.locator('main').innerText()).resolves.toContain(posted.intacct.salesDocumentId!);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    await page.goto(`/console/tenants/${tenantId}/attention?code=unknown_sku`);
    await page.getByLabel('Code', { exact: true }).selectOption('unknown_sku');
    await page.getByRole('button', { name: 'Count items' }).click();
    const count = page.locator('#bulk-result');
    await expect(count.getByRole('status').innerText()).resolves.toContain(
      `${rest.length} open orders and refunds with code unknown_sku match`,
    );
    // Counting touched nothing.
    for (const orderId of rest) expect((await stack.ledger(tenantId, 'order', orderId))?.state).toBe('parked');

    await count.getByRole('button', { name: `Retry ${rest.length} items` }).click();
    const outcome = count.getByRole('status').filter({ hasText: 'Retried' });
    await outcome.waitFor();
    await expect(outcome.innerText()).resolves.toContain(`Retried ${rest.length} of ${rest.length}; 0 were no longer parked; 0 failed.`);
    for (const orderId of rest) await stack.waitForOrder(tenantId, orderId, (current) => current.step === 'awaiting_fulfilment');
    const audit = await stack.admin('GET', `/tenants/${tenantId}/audit?limit=100`);
    const actions = (audit.body.entries as Array<{ action: string; target: string }>).map((entry) => `${entry.action} ${entry.target}`);
    expect(actions).toEqual(expect.arrayContaining([`order.retry ${first}`, 'attention.retry order,refund:unknown_sku']));
  });
});
