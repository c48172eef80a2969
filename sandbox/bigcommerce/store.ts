import {
  type Address,
  orderStatuses,
  orderTotals,
  type CatalogProduct,
  type CatalogVariant,
  type Hook,
  type Order,
  type OrderLine,
  type Refund,
  type RefundItem,
  type StockLevel,
} from './model.js';
import { applyOrderContentEdit, type OrderContentEdit } from './order-edits.js';
import { seedData, type SeedData, type SeedOptions } from './seed.js';
import { priceRefund, type RefundQuoteResult } from './refund-pricing.js';
import { SandboxError } from './sandbox-error.js';
import { defaultTaxSettings, orderTaxFields, pricedLine, shippingCost, type StoreTaxSettings } from './tax-settings.js';
import { checkoutPayment, type GatewayTransactionType } from './payment-actions.js';
import type { BigCommerceStoreSnapshot, CommittedAdjustment, EventSink, IdKind, NewOrderInput } from './store-types.js';

export { SandboxError } from './sandbox-error.js';
export type { BigCommerceStoreSnapshot, CommittedAdjustment, EventSink, NewOrderInput } from './store-types.js';
export type { RefundQuoteResult } from './refund-pricing.js';

/** The whole in-memory store: seeded state and the operations that fire webhooks. */
export class SandboxStore {
  state!: SeedData & { hooks: Hook[] };
  /** Look-ups over the catalogue and stock (rebuilt when the catalog API adds a product), so a 100k-SKU store answers per item, not per catalogue. */
  private variants!: Map<number, { product: CatalogProduct; variant: CatalogVariant; position: number }>;
  private variantsBySku!: Map<string, { product: CatalogProduct; variant: CatalogVariant; position: number }>;
  private productsById!: Map<number, CatalogProduct>;
  private stockLevels!: Map<string, StockLevel>;
  /** Absolute adjustments committed since the reset (the request log keeps only the latest requests, and not those whose answer was lost). */
  adjustments: CommittedAdjustment[] = [];
  /** Adjustments and their items committed since the reset. */
  adjustmentCount = 0;
  adjustedItems = 0;
  private nextIds!: Record<IdKind, number>;

  /** The payment gateway's setting for checkouts from now on (reset: capture at once). */
  gatewayTransactionType: GatewayTransactionType = 'authorize_and_capture';
  /** The store's tax setup for orders from now on (a control setting, not in the state file). */
  taxSettings: StoreTaxSettings = defaultTaxSettings();

  /** `emit` publishes a webhook event; payment actions (`payment-actions.ts`) fire theirs through it. */
  constructor(readonly emit: EventSink) {
    this.reset();
  }

  /** The store as its state file keeps it: the records, hooks and id counters, nothing derived. */
  toSnapshot(): BigCommerceStoreSnapshot {
    const { state, nextIds, adjustments, adjustmentCount, adjustedItems, gatewayTransactionType } = this;
    return { state, nextIds, adjustments, adjustmentCount, adjustedItems, gatewayTransactionType };
  }

  /** Back to the store a snapshot kept. */
  restore(snapshot: BigCommerceStoreSnapshot): void {
    Object.assign(this, snapshot);
    this.indexCatalogue();
  }

  /** Back to the seed: every order, stock level and hook as first started. */
  reset(options: SeedOptions = {}): void {
    const seed = seedData(options);
    this.state = { ...seed, hooks: [] };
    this.adjustments = [];
    this.gatewayTransactionType = 'authorize_and_capture';
    this.taxSettings = defaultTaxSettings();
    this.adjustmentCount = 0;
    this.adjustedItems = 0;
    this.indexCatalogue();
    let transactionId = 9000;
    for (const order of seed.orders) {
      if (order.paymentStatus === 'captured') {
        transactionId += 1;
        order.transactions.push({
          id: transactionId,
          event: 'purchase',
          amountCents: orderTotals(order).totalIncTax,
          gateway: 'testgateway',
          gatewayTransactionId: `tg-${order.id}`,
          createdAt: order.createdAt,
          status: 'ok',
        });
      }
    }
    const max = (values: number[]) => Math.max(0, ...values);
    this.nextIds = {
      order: max(seed.orders.map((order) => order.id)) + 1,
      line: max(seed.orders.flatMap((order) => order.lines.map((line) => line.id))) + 1,
      address: max(seed.orders.flatMap((order) => order.addresses.map((address) => address.id))) + 1,
      shipment: max(seed.orders.flatMap((order) => order.shipments.map((shipment) => shipment.id))) + 1,
      transaction: transactionId + 1,
      refund: 1,
      refundPayment: 1,
      hook: 1,
    };
  }

  /** The look-ups over the catalogue and stock, built from the records (they share the records' objects). */
  indexCatalogue(): void {
    this.variants = new Map();
    this.variantsBySku = new Map();
    this.productsById = new Map();
    for (const product of this.state.products) {
      if (!this.productsById.has(product.id)) this.productsById.set(product.id, product);
      for (const variant of product.variants) {
        const entry = { product, variant, position: this.variants.size };
        if (!this.variants.has(variant.id)) this.variants.set(variant.id, entry);
        if (!this.variantsBySku.has(variant.sku)) this.variantsBySku.set(variant.sku, entry);
      }
    }
    this.stockLevels = new Map();
    for (const level of this.state.stock) {
      const key = `${level.variantId}@${level.locationId}`;
      if (!this.stockLevels.has(key)) this.stockLevels.set(key, level);
    }
  }

  nextId(kind: keyof SandboxStore['nextIds']): number {
    const id = this.nextIds[kind];
    this.nextIds[kind] = id + 1;
    return id;
  }

  order(orderId: number): Order {
    const order = this.state.orders.find((candidate) => candidate.id === orderId && !candidate.isDeleted);
    if (!order) throw new SandboxError(404, 'The requested resource was not found.');
    return order;
  }

  variant(variantId: number): { product: CatalogProduct; variant: CatalogVariant } | undefined {
    return this.variants.get(variantId);
  }

  variantBySku(sku: string): { product: CatalogProduct; variant: CatalogVariant } | undefined {
    return this.variantsBySku.get(sku);
  }

  /**
   * The variants with these SKUs, in catalogue order (as a listing filtered by `sku:in`
   * returns them), each once; unknown SKUs are left out.
   */
  variantsBySkus(skus: readonly string[]): Array<{ product: CatalogProduct; variant: CatalogVariant }> {
    const found = new Map<number, { product: CatalogProduct; variant: CatalogVariant; position: number }>();
    for (const sku of skus) {
      const entry = this.variantsBySku.get(sku);
      if (entry) found.set(entry.variant.id, entry);
    }
    return [...found.values()].sort((a, b) => a.position - b.position).map(({ product, variant }) => ({ product, variant }));
  }

  product(productId: number): CatalogProduct | undefined {
    return this.productsById.get(productId);
  }

  stock(variantId: number, locationId: number): StockLevel | undefined {
    return this.stockLevels.get(`${variantId}@${locationId}`);
  }

  /** Catalog reads show the default location only, as the real API does. */
  defaultStock(variantId: number): number {
    const defaultLocation = this.state.locations.find((location) => location.isDefault);
    return defaultLocation ? (this.stock(variantId, defaultLocation.id)?.onHand ?? 0) : 0;
  }

  createOrder(input: NewOrderInput): Order {
    const shipTos = input.shippingAddresses.length > 0 ? input.shippingAddresses : [input.billing];
    checkConsignments(shipTos.length, input.lines);
    const orderId = this.nextId('order');
    const now = new Date();
    const addressIds = shipTos.map(() => this.nextId('address'));
    const lines: OrderLine[] = input.lines.map((requested) => {
      const found = requested.variantId !== undefined ? this.variant(requested.variantId) : this.productBaseVariant(requested.productId);
      if (!found || found.product.id !== requested.productId)
        throw new SandboxError(
          400,
          `The product with id ${requested.productId} and variant ${requested.variantId ?? 'base'} does not exist.`,
        );
      if (found.product.variants.length > 1 && requested.variantId === undefined)
        throw new SandboxError(400, `The product with id ${requested.productId} has options: give a variant_id.`);
      return {
        id: this.nextId('line'),
        ...pricedLine(this.taxSettings, found, requested),
        quantity: requested.quantity,
        quantityShipped: 0,
        quantityRefunded: 0,
        orderAddressId: addressIds[requested.shippingAddressIndex ?? 0]!,
      };
    });
    // The order's shipping cost is the first consignment's: the create request states one cost, not one per address.
    const cost = shippingCost(this.taxSettings, input);
    const order: Order = {
      id: orderId,
      customerId: input.customerId,
      statusId: input.statusId,
      createdAt: now,
      modifiedAt: now,
      shippedAt: undefined,
      ...orderTaxFields(this.taxSettings),
      billing: input.billing,
      staffNotes: input.staffNotes,
      customerMessage: input.customerMessage,
      paymentMethod: 'Test Payment Gateway',
      paymentStatus: input.statusId === 11 || input.statusId === 10 ? 'captured' : 'pending',
      discountCents: 0,
      ...(input.wrappingCostExTaxCents !== undefined &&
        input.wrappingCostExTaxCents > 0 && { wrappingCents: input.wrappingCostExTaxCents }),
      lines,
      addresses: shipTos.map(({ shippingMethod, ...shipTo }: Address & { shippingMethod?: string }, index) => ({
        ...shipTo,
        id: addressIds[index]!,
        shippingMethod: shippingMethod ?? 'Flat Rate',
        ...(index === 0 ? cost : { costExTaxCents: 0, costTaxCents: 0 }),
      })),
      coupons: [],
      shipments: [],
      transactions: [],
      refunds: [],
      refundedCents: 0,
      isDeleted: false,
    };
    if (order.paymentStatus === 'captured')
      order.transactions.push(checkoutPayment(order, this.gatewayTransactionType, this.nextId('transaction'), now));
    this.state.orders.push(order);
    this.emit('store/order/created', { type: 'order', id: orderId });
    for (const line of lines) this.adjustStock(line.variantId, 1, -line.quantity, 'relative', true);
    return order;
  }

  private productBaseVariant(productId: number) {
    const product = this.productsById.get(productId);
    const variant = product?.variants.find((candidate) => candidate.id === product.baseVariantId);
    return product && variant ? { product, variant } : undefined;
  }

  updateOrder(
    orderId: number,
    changes: { statusId?: number | undefined; staffNotes?: string | undefined; customerMessage?: string | undefined } & OrderContentEdit,
  ): Order {
    const order = this.order(orderId);
    if (changes.statusId !== undefined && orderStatuses[changes.statusId] === undefined)
      throw new SandboxError(400, `The status_id ${changes.statusId} is not a valid order status.`);
    const previous = order.statusId;
    applyOrderContentEdit(this, order, changes);
    if (changes.staffNotes !== undefined) order.staffNotes = changes.staffNotes;
    if (changes.customerMessage !== undefined) order.customerMessage = changes.customerMessage;
    if (changes.statusId !== undefined) order.statusId = changes.statusId;
    order.modifiedAt = new Date();
    this.emit('store/order/updated', { type: 'order', id: orderId });
    if (order.statusId !== previous) this.emitStatus(order, previous);
    return order;
  }

  /** `DELETE /v2/orders/{id}` archives: the order disappears from reads but is kept. */
  archiveOrder(orderId: number): void {
    const order = this.order(orderId);
    order.isDeleted = true;
    order.modifiedAt = new Date();
    this.emit('store/order/archived', { type: 'order', id: orderId });
  }

  private emitStatus(order: Order, previous: number): void {
    this.emit('store/order/statusUpdated', {
      type: 'order',
      id: order.id,
      status: { previous_status_id: previous, new_status_id: order.statusId },
    });
  }

  createShipment(
    orderId: number,
    input: {
      orderAddressId: number;
      items: { orderProductId: number; quantity: number }[];
      trackingNumber: string;
      shippingProvider: string;
      trackingCarrier: string;
      trackingLink: string;
      shippingMethod: string;
      comments: string;
    },
  ) {
    const order = this.order(orderId);
    if (!order.addresses.some((address) => address.id === input.orderAddressId))
      throw new SandboxError(400, `The order_address_id ${input.orderAddressId} does not belong to order ${orderId}.`);
    const items = input.items.map((item) => {
      const line = order.lines.find((candidate) => candidate.id === item.orderProductId);
      if (!line) throw new SandboxError(400, `The order_product_id ${item.orderProductId} does not belong to order ${orderId}.`);
      // A shipment is one consignment's: its items are the lines that ship to its address.
      if (line.orderAddressId !== input.orderAddressId)
        throw new SandboxError(
          400,
          `The order_product_id ${item.orderProductId} ships to order_address_id ${line.orderAddressId}, not ${input.orderAddressId}.`,
        );
      if (item.quantity < 1 || line.quantityShipped + item.quantity > line.quantity)
        throw new SandboxError(
          400,
          `The quantity ${item.quantity} of order_product_id ${item.orderProductId} is more than is left to ship.`,
        );
      return { line, quantity: item.quantity };
    });
    for (const { line, quantity } of items) line.quantityShipped += quantity;
    const now = new Date();
    const shipment = {
      id: this.nextId('shipment'),
      orderAddressId: input.orderAddressId,
      createdAt: now,
      trackingNumber: input.trackingNumber,
      shippingProvider: input.shippingProvider,
      trackingCarrier: input.trackingCarrier,
      trackingLink: input.trackingLink,
      shippingMethod: input.shippingMethod,
      comments: input.comments,
      items: items.map(({ line, quantity }) => ({ orderProductId: line.id, productId: line.productId, quantity })),
    };
    order.shipments.push(shipment);
    const previous = order.statusId;
    order.statusId = order.lines.every((line) => line.quantityShipped >= line.quantity) ? 2 : 3;
    order.shippedAt = now;
    order.modifiedAt = now;
    this.emit('store/shipment/created', { type: 'shipment', id: shipment.id, orderId });
    if (order.statusId !== previous) this.emitStatus(order, previous);
    return { order, shipment };
  }

  /** Prices refund items: products by quantity (tax included), other items by amount. */
  quoteRefund(orderId: number, items: RefundItem[]): RefundQuoteResult {
    return priceRefund(this.order(orderId), orderId, items);
  }

  createRefund(
    orderId: number,
    items: RefundItem[],
    payments: { providerId: string; amountCents: number; offline: boolean }[],
    reason: string,
  ): Refund {
    const quote = this.quoteRefund(orderId, items);
    const paying = payments.reduce((sum, payment) => sum + payment.amountCents, 0);
    if (paying !== quote.totalCents)
      throw new SandboxError(422, `The payments total ${paying / 100} does not match the refund quote ${quote.totalCents / 100}.`);
    const order = this.order(orderId);
    const now = new Date();
    for (const item of quote.items) {
      const line = item.item_type === 'PRODUCT' ? order.lines.find((candidate) => candidate.id === item.item_id) : undefined;
      if (line) line.quantityRefunded += item.quantity ?? 0;
    }
    const refund: Refund = {
      id: this.nextId('refund'),
      orderId,
      createdAt: now,
      reason,
      totalCents: quote.totalCents,
      taxCents: quote.taxCents,
      items: quote.items,
      payments: payments.map((payment) => ({ id: this.nextId('refundPayment'), ...payment })),
    };
    order.refunds.push(refund);
    order.refundedCents += quote.totalCents;
    order.transactions.push({
      id: this.nextId('transaction'),
      event: 'refund',
      amountCents: quote.totalCents,
      gateway: 'testgateway',
      gatewayTransactionId: `tg-refund-${refund.id}`,
      createdAt: now,
      status: 'ok',
    });
    const previous = order.statusId;
    order.statusId = order.refundedCents >= orderTotals(order).totalIncTax ? 4 : 14;
    order.modifiedAt = now;
    this.emit('store/order/refund/created', { type: 'order', id: orderId, refund: { refund_id: refund.id } });
    if (order.statusId !== previous) this.emitStatus(order, previous);
    return refund;
  }

  /** Remembers a committed absolute adjustment for the control API (the latest 10,000). */
  recordAdjustment(adjustment: CommittedAdjustment): void {
    this.adjustments.push(adjustment);
    this.adjustmentCount += 1;
    this.adjustedItems += adjustment.items;
    if (this.adjustments.length > 10_000) this.adjustments.splice(0, this.adjustments.length - 10_000);
  }

  /**
   * Sets or moves one variant's stock and fires the inventory webhook of its tracking mode
   * (`method: absolute` for API writes, `relative` for orders).
   */
  adjustStock(variantId: number, locationId: number, quantity: number, method: 'absolute' | 'relative', fromOrder = false): void {
    const found = this.variant(variantId);
    const level = this.stock(variantId, locationId);
    if (!found || !level || found.product.tracking === 'none') return;
    const before = level.onHand;
    level.onHand = method === 'absolute' ? quantity : Math.max(0, level.onHand + quantity);
    const change = level.onHand - before;
    if (change === 0) return;
    found.product.modifiedAt = new Date();
    if (found.product.tracking === 'product') {
      this.emit(fromOrder ? 'store/product/inventory/order/updated' : 'store/product/inventory/updated', {
        type: 'product',
        id: found.product.id,
        inventory: { product_id: found.product.id, method, value: change },
      });
    } else {
      this.emit(fromOrder ? 'store/sku/inventory/order/updated' : 'store/sku/inventory/updated', {
        type: 'sku',
        id: found.variant.id,
        inventory: { product_id: found.product.id, variant_id: found.variant.id, method, value: change },
      });
    }
  }
}

/**
 * Each line names one of the order's shipping addresses, and each address has a line: a
 * checkout makes no consignment without items. The V2 400 naming the field, as `parse` does.
 */
function checkConsignments(addresses: number, lines: NewOrderInput['lines']): void {
  const unknown = lines.findIndex((line) => (line.shippingAddressIndex ?? 0) >= addresses);
  if (unknown >= 0)
    throw new SandboxError(
      400,
      `The field 'products.${unknown}.shipping_address_index' is invalid: the order has ${addresses} shipping addresses.`,
    );
  for (let index = 0; index < addresses; index += 1)
    if (!lines.some((line) => (line.shippingAddressIndex ?? 0) === index))
      throw new SandboxError(400, `The field 'shipping_addresses.${index}' is invalid: no product ships to it.`);
}
