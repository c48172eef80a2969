import { beforeAll, describe, expect, it } from 'vitest';
import {
  cents,
  janeAtAcmeBillingAddress,
  preparePerLineTaxTenant,
  useEndToEndTenant,
  type OrderToCashStack,
} from '../../support/order-to-cash-stack.js';
import '../../support/quiet-runtime.js';

/** The store's French VAT rates and the Intacct tax details of the company's "France - VAT" solution they post as. */
const rates = {
  reduced55: { name: 'TVA 5,5 %', ratePercent: '5.5', detailId: 'FR Sale Goods Reduced Rate 5.5' },
  reduced10: { name: 'TVA 10 %', ratePercent: '10', detailId: 'FR Sale Goods Reduced Rate 10' },
  standard: { name: 'TVA 20 %', ratePercent: '20', detailId: 'FR Sale Goods Standard Rate' },
};

/**
 * A VAT-inclusive EUR store end to end: the BigCommerce sandbox set up as a French store whose
 * prices include VAT at three rates, its webhook, OrderToCash with the tenant posting tax as
 * line tax detail, and the Intacct sandbox's records. The tax Intacct holds is the store's.
 */
describe('OrderToCash end to end: a VAT-inclusive EUR order at three rates', () => {
  let stack: OrderToCashStack;
  let tenantId: string;

  useEndToEndTenant(
    {
      storefront: 'bigcommerce',
      orderSync: {
        adjustments: { tax: 'perLine' },
        tax: { solutionId: 'France - VAT' },
        currency: { baseCurrency: 'EUR' },
      },
      prepare: preparePerLineTaxTenant(Object.fromEntries(Object.values(rates).map(({ name, detailId }) => [name, detailId]))),
    },
    (started) => ({ stack, tenantId } = started),
  );

  beforeAll(async () => {
    const answer = await fetch(`${stack.sandboxes.bigcommerce.url}/_control/tax-settings`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        pricesIncludeTax: true,
        currency: 'EUR',
        defaultRate: { name: rates.standard.name, ratePercent: rates.standard.ratePercent },
        // The cap is sold at the 5.5 % rate, the mug at 10 %, the T-shirt at the standard rate.
        productRates: {
          '114': { name: rates.reduced55.name, ratePercent: rates.reduced55.ratePercent },
          '112': { name: rates.reduced10.name, ratePercent: rates.reduced10.ratePercent },
        },
        shippingRate: { name: rates.standard.name, ratePercent: rates.standard.ratePercent },
      }),
    });
    expect(answer.status).toBe(200);
  });

  it('when the order syncs with tax as line tax detail, then Intacct holds the store’s VAT per line and rate to the cent, and the gross total', async () => {
    const created = await stack.bigCommerce('POST', '/v2/orders', {
      customer_id: 1,
      status_id: 11,
      billing_address: janeAtAcmeBillingAddress,
      products: [
        { product_id: 114, quantity: 2, price_inc_tax: '10.55' },
        { product_id: 112, quantity: 1, price_inc_tax: '33.00' },
        { product_id: 111, variant_id: 202, quantity: 3, price_inc_tax: '19.99' },
      ],
      shipping_cost_inc_tax: '5.90',
    });
    expect(created.status).toBe(201);
    const orderId = String((created.body as { id: number }).id);
    const placed = (await stack.bigCommerce('GET', `/v2/orders/${orderId}`)).body as {
      total_inc_tax: string;
      total_tax: string;
      is_tax_inclusive_pricing: boolean;
      default_currency_code: string;
    };
    expect(placed).toMatchObject({ is_tax_inclusive_pricing: true, default_currency_code: 'EUR', total_inc_tax: '119.9700' });
    const storeTaxes = (await stack.bigCommerce('GET', `/v2/orders/${orderId}/taxes?details=true`)).body as Array<{
      name: string;
      line_amount: string;
    }>;

    const status = await stack.waitForOrder(tenantId, orderId, (current) => current.step === 'awaiting_fulfilment');
    const document = (await stack.intacctRecords('SODOCUMENT')).find((row) => row.DOCID === status.intacct.salesDocumentId)!;
    expect(document).toMatchObject({ PONUMBER: orderId, CUSTVENDID: 'C-1001', TAXSOLUTIONID: 'France - VAT' });
    expect(cents(document.TOTAL)).toBe(cents(placed.total_inc_tax));

    const entries = (await stack.intacctRecords('SODOCUMENTSUBTOTALS')).filter((row) => row.DOCHDRID === document.DOCID);
    const detailOf = (name: string) => Object.values(rates).find((rate) => rate.name === name)!.detailId;
    // Entry for entry, the store's tax on each line and on shipping, under the detail of its rate.
    expect(entries.map((entry) => [entry.DETAILID, cents(entry.TRX_TAX)])).toEqual(
      storeTaxes.map((tax) => [detailOf(tax.name), cents(tax.line_amount)]),
    );
    expect(entries.map((entry) => [entry.DETAILID, cents(entry.TRX_TAX)])).toEqual([
      [rates.reduced55.detailId, 110],
      [rates.reduced10.detailId, 300],
      [rates.standard.detailId, 999],
      [rates.standard.detailId, 98],
    ]);
    expect(entries.reduce((sum, entry) => sum + cents(entry.TRX_TAX), 0)).toBe(cents(placed.total_tax));
    // The lines are the nets the store extracted; none is tax rounding, since the store itemised all of its VAT.
    const lines = (await stack.intacctRecords('SODOCUMENTENTRY')).filter((row) => row.DOCHDRID === document.DOCID);
    expect(lines.map((line) => [line.ITEMID, cents(line.TOTAL)])).toEqual([
      ['CAP-NVY-OS', 2000],
      ['MUG-CER-12OZ', 3000],
      ['TSHIRT-BLK-M', 4998],
      ['SHIPPING', 492],
    ]);
  });
});
