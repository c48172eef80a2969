import fs from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { launchBrowser } from '../support/chromium.js';

/**
 * `npm run screenshots`: the README's and docs/console.md's pictures of the console, taken from
 * the running demo (`npm start`) with the same Chromium the browser tests drive. It places one
 * paid order in the BigCommerce sandbox (as the README's "try it" does), waits for the console to
 * show it synced, and shoots the overview, the sync log and that order's page. Flags:
 *
 *   --api URL          the product API (default http://localhost:3000)
 *   --bigcommerce URL  the BigCommerce sandbox (default http://localhost:4002)
 *   --key KEY          an admin API key (default demo-admin-key, sandbox mode)
 *   --tenant ID        the tenant shown (default demo)
 *   --out DIR          where the PNG files go (default docs/images)
 */
const { values } = parseArgs({
  options: {
    api: { type: 'string', default: 'http://localhost:3000' },
    bigcommerce: { type: 'string', default: 'http://localhost:4002' },
    key: { type: 'string', default: 'demo-admin-key' },
    tenant: { type: 'string', default: 'demo' },
    out: { type: 'string', default: 'docs/images' },
  },
});
const api = values.api;
const tenant = encodeURIComponent(values.tenant);
const out = path.resolve(values.out);
const log = (line: string) => process.stderr.write(`[screenshots] ${line}\n`);

/** One paid order (status 11, Awaiting Fulfillment) in the demo store, as the README places it; answers its id. */
async function placeOrder(): Promise<string> {
  const answer = await fetch(`${values.bigcommerce}/stores/demostore/v2/orders`, {
    method: 'POST',
    headers: { 'x-auth-token': 'demo-bc-token', 'content-type': 'application/json' },
    body: JSON.stringify({
      status_id: 11,
      products: [{ product_id: 112, quantity: 2 }],
      billing_address: { first_name: 'Ada', last_name: 'Lovelace', email: 'ada@example.com', zip: '78701', country_iso2: 'US' },
    }),
  });
  if (answer.status !== 201 && answer.status !== 200)
    throw new Error(`the BigCommerce sandbox answered ${answer.status}: is the demo running?`);
  return String(((await answer.json()) as { id: number }).id);
}

await fs.mkdir(out, { recursive: true });
const browser = await launchBrowser();
try {
  const context = await browser.newContext({ baseURL: api, viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  await page.goto('/console/sign-in');
  await page.getByLabel('API key').fill(values.key);
  await Promise.all([page.waitForURL((url) => !url.pathname.endsWith('/sign-in')), page.getByRole('button', { name: 'Sign in' }).click()]);

  const orderId = await placeOrder();
  log(`order ${orderId} placed; waiting for it to sync`);
  const deadline = Date.now() + 60_000;
  for (;;) {
    await page.goto(`/console/tenants/${tenant}/orders?id=${encodeURIComponent(orderId)}`);
    if ((await page.locator('main td.state-synced').count()) > 0) break;
    if (Date.now() > deadline) throw new Error(`order ${orderId} did not show as synced within 60 s`);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }

  const shots: Array<[string, string]> = [
    ['console-overview.png', `/console/tenants/${tenant}`],
    ['console-sync-log.png', `/console/tenants/${tenant}/orders`],
    ['console-order.png', `/console/tenants/${tenant}/orders/${encodeURIComponent(orderId)}`],
  ];
  for (const [file, pagePath] of shots) {
    await page.goto(pagePath);
    await page.screenshot({ path: path.join(out, file) });
    log(`${file}: ${pagePath}`);
  }
} finally {
  await browser.close();
}
