/**
 * Issue 17's order fidelity in the chaos run: the BigCommerce tenant posts the store's tax per
 * line as Intacct line tax detail (sales tax added to the prices, or VAT included in them), gift
 * wrapping as a line of its own item, gives each line of an order shipped to several addresses
 * its own ship-to, and routes orders that sell digital goods to a second entity of the
 * multi-entity company by a rule. Set up here
 * through the admin API and the Intacct sandbox's control API, as a merchant and their
 * accountant would; `verify-fidelity.ts` checks what Intacct holds against the store.
 */
import type { ProcessStack } from '../support/process-stack.js';
import { vatInclusive } from './plan.js';
import type { Storefronts } from './storefronts.js';

/** The entity digital goods are posted to: the sandbox company's "East Coast" location, an entity of its own. */
export const digitalGoodsEntity = '200';

/**
 * The store's one tax rate (the BigCommerce sandbox's US sales tax, on every product) and the
 * Intacct tax detail the accountant set up for it in the company's tax solution.
 */
export const salesTax = { storefrontTax: 'Sales Tax', solutionId: 'Standard Tax', detailId: 'US Sales Tax 8.25', ratePercent: '8.25' };

/** The store's VAT rate for orders placed with prices including VAT, and the Intacct tax detail the accountant set up for it. */
export const vat = {
  storefrontTax: vatInclusive.rate.name,
  solutionId: salesTax.solutionId,
  detailId: 'VAT Standard 20',
  ratePercent: vatInclusive.rate.ratePercent,
};

/** The Intacct items charges post as (the sandbox company's). */
export const giftWrappingItem = 'GIFT-WRAP';
const taxRoundingItem = 'TAX-ROUNDING';

/** The tenant's rule: an order that sells a digital product goes to the digital goods entity. */
export const fidelityRules = [
  {
    id: 'digital-goods-entity',
    scope: 'document',
    match: 'first',
    cases: [{ when: [{ field: 'order.productTypes', op: 'equals', value: 'digital' }], set: { entity: digitalGoodsEntity } }],
  },
];

/**
 * The entity the tenant's rule sends an order to, from its lines' product types as the store
 * reports them (`type` of the order products); undefined: the connection's own (top level).
 */
export function entityByRules(productTypes: readonly string[]): string | undefined {
  return productTypes.includes('digital') ? digitalGoodsEntity : undefined;
}

async function expectOk(answer: Promise<{ status: number; body: unknown }>, what: string): Promise<void> {
  const { status, body } = await answer;
  if (status >= 300) throw new Error(`${what} failed: ${status} ${JSON.stringify(body)}`);
}

/**
 * The Intacct tax detail for the store's rate, then the BigCommerce tenant's settings (tax
 * `perLine` under the company's tax solution, gift wrapping `separateLine`, consignments
 * `lineShipTo`, the routing rule)
 * and mapping rows (the rate's detail; the gift wrapping and tax rounding items).
 */
export async function prepareOrderFidelity(stack: ProcessStack, storefronts: Storefronts): Promise<void> {
  if (!stack.tenants.some((tenant) => tenant.storefront === 'bigcommerce')) return;
  const tenantId = stack.tenant('bigcommerce');
  for (const rate of [salesTax, vat])
    await expectOk(
      storefronts.intacctControl('POST', '/records/TAXDETAIL', {
        fields: { DETAILID: rate.detailId, TAXSOLUTIONID: rate.solutionId, TAXTYPE: 'Sale', VALUE: rate.ratePercent, STATUS: 'active' },
      }),
      `adding the ${rate.detailId} tax detail to Intacct`,
    );
  const current = await stack.admin('GET', `/tenants/${tenantId}/settings`);
  if (current.status !== 200) throw new Error(`reading ${tenantId}'s settings failed: ${current.status}`);
  await expectOk(
    stack.admin('PATCH', `/tenants/${tenantId}/settings`, {
      version: (current.body as { version: number }).version,
      settings: {
        orderSync: {
          adjustments: { tax: 'perLine', giftWrapping: 'separateLine' },
          tax: { solutionId: salesTax.solutionId },
          // A store offering a multi-address checkout: each sales order line ships where its consignment goes.
          shipping: { consignments: 'lineShipTo' },
        },
        rules: fidelityRules,
      },
    }),
    `setting ${tenantId}'s tax, gift wrapping, consignments and rules`,
  );
  for (const rate of [salesTax, vat])
    await expectOk(
      stack.admin('PUT', `/tenants/${tenantId}/mappings/taxRates/rows/${encodeURIComponent(rate.storefrontTax)}`, {
        storefrontTax: rate.storefrontTax,
        intacctTaxDetailId: rate.detailId,
      }),
      `mapping the ${rate.storefrontTax} rate`,
    );
  for (const [kind, intacctItemId] of [
    ['giftWrapping', giftWrappingItem],
    ['taxRounding', taxRoundingItem],
  ] as const)
    await expectOk(
      stack.admin('PUT', `/tenants/${tenantId}/mappings/adjustmentItems/rows/${kind}`, { kind, intacctItemId }),
      `mapping the ${kind} item`,
    );
}

/**
 * Places one order while the store's prices include VAT (BigCommerce Settings → Tax), then puts
 * the store's tax setup back: orders are placed one at a time, and each keeps the setup it was
 * placed with.
 */
export async function withPricesIncludingVat<T>(storefronts: Storefronts, place: () => Promise<T>): Promise<T> {
  const current = await storefronts.bigCommerce('GET', '/_control/tax-settings');
  if (current.status !== 200) throw new Error(`reading the store's tax settings failed: ${current.status}`);
  await expectOk(
    storefronts.bigCommerce('PUT', '/_control/tax-settings', {
      pricesIncludeTax: true,
      currency: 'USD',
      defaultRate: { name: vat.storefrontTax, ratePercent: vat.ratePercent },
      productRates: {},
    }),
    'setting the store’s prices to include VAT',
  );
  try {
    return await place();
  } finally {
    await expectOk(storefronts.bigCommerce('PUT', '/_control/tax-settings', current.body), 'putting the store’s tax settings back');
  }
}
