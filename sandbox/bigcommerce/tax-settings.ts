import type { CatalogProduct, CatalogVariant, Order, OrderLine } from './model.js';

/**
 * The store's tax setup (BigCommerce control panel: Settings → Tax, and each product's tax
 * class), which orders take their tax from when they are placed: whether catalog prices include
 * tax, the store's currency, the rate of each product's tax class and of shipping. The default
 * is a US store adding 8.25 % sales tax on products and none on shipping.
 */
export interface StoreTaxSettings {
  pricesIncludeTax: boolean;
  currency: string;
  defaultRate: TaxRate;
  /** The rate of each product's tax class, by product id. */
  productRates: Record<string, TaxRate>;
  /** Tax on shipping; absent: shipping is not taxed. */
  shippingRate?: TaxRate;
}

/** One tax rate as the store names it on orders. */
export interface TaxRate {
  name: string;
  ratePercent: string;
}

export function defaultTaxSettings(): StoreTaxSettings {
  return { pricesIncludeTax: false, currency: 'USD', defaultRate: { name: 'Sales Tax', ratePercent: '8.25' }, productRates: {} };
}

/**
 * A unit price as the store splits it: with tax added, the tax is the rate on the price; with
 * prices including tax, the tax is extracted from the gross (rate / (100 + rate)) and the net is
 * the rest, so net + tax is always the price the shopper saw. Rounded to the cent per unit.
 */
export function splitPrice(settings: StoreTaxSettings, rate: TaxRate, priceCents: number): { exTaxCents: number; taxCents: number } {
  const percent = Number(rate.ratePercent);
  if (!settings.pricesIncludeTax) return { exTaxCents: priceCents, taxCents: Math.round((priceCents * percent) / 100) };
  const taxCents = Math.round((priceCents * percent) / (100 + percent));
  return { exTaxCents: priceCents - taxCents, taxCents };
}

/** Shipping as the store taxes it: ex-tax and tax, from the amount the store's pricing states (`shipping_cost_inc_tax` when prices include tax). */
export function shippingCost(
  settings: StoreTaxSettings,
  input: { shippingCostExTaxCents: number; shippingCostIncTaxCents?: number | undefined },
): { costExTaxCents: number; costTaxCents: number } {
  const stated = settings.pricesIncludeTax ? (input.shippingCostIncTaxCents ?? input.shippingCostExTaxCents) : input.shippingCostExTaxCents;
  if (settings.shippingRate === undefined) return { costExTaxCents: stated, costTaxCents: 0 };
  const split = splitPrice(settings, settings.shippingRate, stated);
  return { costExTaxCents: split.exTaxCents, costTaxCents: split.taxCents };
}

/** A new order line's catalogue fields and prices, taxed at its product's rate (`price_inc_tax` or `price_ex_tax` as the store's pricing reads them). */
export function pricedLine(
  settings: StoreTaxSettings,
  found: { product: CatalogProduct; variant: CatalogVariant },
  requested: { priceExTaxCents: number | undefined; priceIncTaxCents?: number | undefined },
): Pick<OrderLine, 'productId' | 'variantId' | 'name' | 'sku' | 'upc' | 'productType' | 'tax' | 'unitPriceExTaxCents' | 'unitTaxCents'> {
  const rate = settings.productRates[String(found.product.id)] ?? settings.defaultRate;
  const stated = settings.pricesIncludeTax ? requested.priceIncTaxCents : requested.priceExTaxCents;
  const { exTaxCents, taxCents } = splitPrice(settings, rate, stated ?? found.variant.priceCents ?? found.product.priceCents);
  return {
    productId: found.product.id,
    variantId: found.variant.id,
    name: found.product.name,
    sku: found.variant.sku,
    ...(found.variant.upc !== undefined && { upc: found.variant.upc }),
    // As the catalog shows the product: untracked products are the sandbox's digital ones.
    ...(found.product.tracking === 'none' && { productType: 'digital' as const }),
    tax: rate,
    unitPriceExTaxCents: exTaxCents,
    unitTaxCents: taxCents,
  };
}

/** What an order keeps of the store's tax setup when it is placed: its currency, inclusive pricing, the shipping rate. */
export function orderTaxFields(settings: StoreTaxSettings): Pick<Order, 'currency' | 'taxInclusive' | 'shippingTax'> {
  return {
    currency: settings.currency,
    ...(settings.pricesIncludeTax && { taxInclusive: true }),
    ...(settings.shippingRate !== undefined && { shippingTax: settings.shippingRate }),
  };
}
