import type { OrderProduct } from '../connectors/bigcommerce/index.js';
import type { ClarityOrder, ClarityShipment, ClarityShipmentLine } from '../connectors/clarity/index.js';

/** What a new shipment written to a storefront carries: BigCommerce's provider name, and the lines left to ship. */

/**
 * BigCommerce's `shipping_provider` for a carrier name ("UPS Ground" → `ups`), or `""` (the
 * API's "no provider") when it is not one BigCommerce knows; the name then goes in
 * `shipping_method`.
 */
export function bigCommerceShippingProvider(carrier: string | undefined): string {
  const compact = (carrier ?? '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
  const words = compact.split(' ');
  const joined = words.join('');
  if (words.includes('usps')) return 'usps';
  if (words.includes('ups')) return 'ups';
  if (words.includes('fedex') || joined.includes('federalexpress')) return 'fedex';
  if (joined.includes('royalmail')) return 'royalmail';
  if (joined.includes('auspost') || joined.includes('australiapost')) return 'auspost';
  if (joined.includes('canadapost')) return 'canadapost';
  return '';
}

/** Order products a BigCommerce shipment is made of, and the address they go to (a shipment belongs to one). */
export interface BigCommerceShipmentItems {
  orderAddressId: number;
  items: { order_product_id: number; quantity: number }[];
}

/**
 * What is left to ship on BigCommerce, by shipping address (consignment): every line that still
 * has quantity to ship, with that quantity, grouped by its `order_address_id` in the order the
 * lines come. Bundle children ship with their parent line. Empty when everything has shipped.
 */
export function unshippedBigCommerceItems(
  products: readonly Pick<
    OrderProduct,
    'id' | 'order_address_id' | 'quantity' | 'quantity_shipped' | 'is_bundled_product' | 'parent_order_product_id'
  >[],
): BigCommerceShipmentItems[] {
  const byAddress = new Map<number, BigCommerceShipmentItems>();
  for (const product of products) {
    if (product.is_bundled_product === true && product.parent_order_product_id != null) continue;
    const left = product.quantity - Number(product.quantity_shipped);
    if (left <= 0) continue;
    const address = byAddress.get(product.order_address_id) ?? { orderAddressId: product.order_address_id, items: [] };
    address.items.push({ order_product_id: product.id, quantity: left });
    byAddress.set(product.order_address_id, address);
  }
  return [...byAddress.values()];
}

/** Each SKU of a Clarity order with the quantity its shipments do not cover yet, in line order. */
export function unshippedClarityLines(
  order: Pick<ClarityOrder, 'lineItems'>,
  shipments: readonly Pick<ClarityShipment, 'lineItems'>[],
): ClarityShipmentLine[] {
  const left = new Map<string, number>();
  for (const line of order.lineItems) left.set(line.sku, (left.get(line.sku) ?? 0) + line.quantity);
  for (const shipment of shipments) for (const line of shipment.lineItems) left.set(line.sku, (left.get(line.sku) ?? 0) - line.quantity);
  return [...left].filter(([, quantity]) => quantity > 0).map(([sku, quantity]) => ({ sku, quantity }));
}
