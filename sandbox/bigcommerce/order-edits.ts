import type { Order } from './model.js';
import { SandboxError } from './sandbox-error.js';
import type { SandboxStore } from './store.js';

/**
 * What `PUT /v2/orders/{id}` may change about an order's contents, read from the wire: line
 * items (`products`: an `id` names an existing line, whose quantity and price change, a
 * quantity of 0 removing it; without an `id`, a product is added), the shipping cost and the
 * billing address. Totals are computed again from them, as the store does.
 */
export interface OrderContentEdit {
  products?:
    | Array<{
        id?: number | undefined;
        productId?: number | undefined;
        variantId?: number | undefined;
        quantity: number;
        priceExTaxCents?: number | undefined;
      }>
    | undefined;
  shippingCostExTaxCents?: number | undefined;
  billing?: Partial<Order['billing']> | undefined;
}

/** Applies `edit` to `order` in place; stock follows the quantities as it does for a new order. */
export function applyOrderContentEdit(store: SandboxStore, order: Order, edit: OrderContentEdit): void {
  for (const requested of edit.products ?? []) {
    if (requested.id !== undefined) {
      const line = order.lines.find((candidate) => candidate.id === requested.id);
      if (line === undefined) throw new SandboxError(400, `The order product with id ${requested.id} does not exist on order ${order.id}.`);
      if (requested.quantity < line.quantityShipped + line.quantityRefunded)
        throw new SandboxError(400, `The quantity of order product ${line.id} cannot go below what was shipped or refunded.`);
      store.adjustStock(line.variantId, 1, line.quantity - requested.quantity, 'relative', true);
      if (requested.priceExTaxCents !== undefined) {
        line.unitPriceExTaxCents = requested.priceExTaxCents;
        line.unitTaxCents = Math.round(requested.priceExTaxCents * 0.0825);
      }
      if (requested.quantity === 0) order.lines.splice(order.lines.indexOf(line), 1);
      else line.quantity = requested.quantity;
      continue;
    }
    if (requested.productId === undefined || requested.quantity < 1)
      throw new SandboxError(400, 'A new order product needs a product_id and a quantity of at least 1.');
    const product = store.product(requested.productId);
    const found =
      requested.variantId !== undefined
        ? store.variant(requested.variantId)
        : product && { product, variant: product.variants.find((variant) => variant.id === product.baseVariantId)! };
    if (!found?.variant || found.product.id !== requested.productId)
      throw new SandboxError(
        400,
        `The product with id ${requested.productId} and variant ${requested.variantId ?? 'base'} does not exist.`,
      );
    const price = requested.priceExTaxCents ?? found.variant.priceCents ?? found.product.priceCents;
    order.lines.push({
      id: store.nextId('line'),
      productId: found.product.id,
      variantId: found.variant.id,
      name: found.product.name,
      sku: found.variant.sku,
      unitPriceExTaxCents: price,
      unitTaxCents: Math.round(price * 0.0825),
      quantity: requested.quantity,
      quantityShipped: 0,
      quantityRefunded: 0,
      orderAddressId: order.addresses[0]!.id,
    });
    store.adjustStock(found.variant.id, 1, -requested.quantity, 'relative', true);
  }
  if (order.lines.length === 0) throw new SandboxError(400, 'An order needs at least one product.');
  if (edit.shippingCostExTaxCents !== undefined) order.addresses[0]!.costExTaxCents = edit.shippingCostExTaxCents;
  if (edit.billing !== undefined) order.billing = { ...order.billing, ...edit.billing };
}
