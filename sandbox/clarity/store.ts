import { allocate, roundCents, type Cents } from './money.js';
import type { CheckoutInput, ReturnInput, ShipmentInput } from './inputs.js';
import { captureAuthorised, voidAuthorised } from './payments.js';
import { conflict, notFound, validationFailed, type FieldError } from './problems.js';
import {
  orderTotals,
  orderToWire,
  productToWire,
  returnToWire,
  type ClarityStoreSnapshot,
  type CouponRecord,
  type CustomerRecord,
  type EventType,
  type OrderRecord,
  type OrderStatus,
  type ProductRecord,
  type ReturnRecord,
  type ShipmentRecord,
  type TransactionRecord,
} from './records.js';

/** Sales tax the sandbox store charges on every line (8.25 %, in basis points). */
const taxRateBasisPoints = 825;
const standardShipping: Cents = 800;

/** Which status changes a merchant (or a shipment) may make. */
const allowedTransitions: Record<OrderStatus, OrderStatus[]> = {
  pending: ['processing', 'cancelled'],
  processing: ['fulfilled', 'cancelled'],
  fulfilled: ['refunded'],
  cancelled: [],
  refunded: [],
};

export type EmitEvent = (type: EventType, data: Record<string, unknown>) => void;

/**
 * The store's state and the merchant-side rules: prices from the catalog, coupons, tax,
 * stock, status changes, shipments and returns. Changes that a real store announces call
 * `emit`; writes made through the API by an integration (inventory, ERP references) do not.
 */
export class ClarityStore {
  readonly products = new Map<string, ProductRecord>();
  readonly customers = new Map<string, CustomerRecord>();
  readonly coupons = new Map<string, CouponRecord>();
  readonly orders = new Map<string, OrderRecord>();
  readonly returns = new Map<string, ReturnRecord>();
  private nextOrderNumber = 100001;
  private nextReturnNumber = 3001;
  private nextTransactionNumber = 1;
  private emit: EmitEvent = () => undefined;

  constructor(private readonly now: () => number) {}

  /** The records and counters, as the sandbox's state file keeps them. */
  toSnapshot(): ClarityStoreSnapshot {
    const { products, customers, coupons, orders, returns, nextOrderNumber, nextReturnNumber, nextTransactionNumber } = this;
    return {
      tables: { products: [...products], customers: [...customers], coupons: [...coupons], orders: [...orders], returns: [...returns] },
      counters: { nextOrderNumber, nextReturnNumber, nextTransactionNumber },
    };
  }

  /** Back to the records and counters a snapshot kept (silently, as the seed is loaded). */
  restore(snapshot: ClarityStoreSnapshot): void {
    for (const [name, entries] of Object.entries(snapshot.tables)) {
      const map = this[name as keyof ClarityStoreSnapshot['tables']] as Map<string, unknown>;
      map.clear();
      for (const [key, record] of entries) map.set(key, record);
    }
    Object.assign(this, snapshot.counters);
  }

  /** Starts announcing changes (the seed is loaded silently before this). */
  announceWith(emit: EmitEvent): void {
    this.emit = emit;
  }

  private timestamp(): string {
    return new Date(this.now()).toISOString();
  }

  addProduct(product: Omit<ProductRecord, 'updatedAt'> & { updatedAt?: string }): void {
    this.products.set(product.sku, { ...product, updatedAt: product.updatedAt ?? this.timestamp() });
  }

  addCustomer(customer: CustomerRecord): void {
    this.customers.set(customer.customerId, customer);
  }

  /**
   * A shopper registers, or a merchant adds a customer. Announces nothing: the contract has no
   * customer events (integrations poll `GET /customers?updatedSince=`).
   */
  registerCustomer(customer: Omit<CustomerRecord, 'createdAt' | 'updatedAt'>): CustomerRecord {
    if (this.customers.has(customer.customerId)) throw conflict(`customer ${customer.customerId} already exists`);
    const at = this.timestamp();
    const record = { ...customer, createdAt: at, updatedAt: at };
    this.customers.set(record.customerId, record);
    return record;
  }

  /** A shopper edits their profile or addresses: `updatedAt` moves when anything changed, and nothing is announced. */
  updateCustomer(customerId: string, changes: Partial<Omit<CustomerRecord, 'customerId' | 'createdAt' | 'updatedAt'>>): CustomerRecord {
    const customer = this.customers.get(customerId);
    if (customer === undefined) throw notFound(`customer ${customerId}`);
    const changed = (Object.keys(changes) as Array<keyof typeof changes>).filter(
      (key) => changes[key] !== undefined && JSON.stringify(changes[key]) !== JSON.stringify(customer[key]),
    );
    if (changed.length === 0) return customer;
    Object.assign(customer, Object.fromEntries(changed.map((key) => [key, changes[key]])), { updatedAt: this.timestamp() });
    return customer;
  }

  addCoupon(coupon: CouponRecord): void {
    this.coupons.set(coupon.code.toUpperCase(), coupon);
  }

  product(sku: string): ProductRecord {
    const product = this.products.get(sku);
    if (product === undefined) throw notFound(`product ${sku}`);
    return product;
  }

  order(orderId: string): OrderRecord {
    const order = this.orders.get(orderId);
    if (order === undefined) throw notFound(`order ${orderId}`);
    return order;
  }

  /** A completed checkout: prices, coupon, tax and stock as the storefront would apply them. */
  checkout(input: CheckoutInput): OrderRecord {
    const errors: FieldError[] = [];
    const customer = input.customerId === undefined || input.customerId === null ? undefined : this.customers.get(input.customerId);
    if (input.customerId !== undefined && input.customerId !== null && customer === undefined)
      errors.push({ field: 'customerId', message: 'unknown customer' });
    const email = customer?.email ?? input.email;
    if (email === undefined) errors.push({ field: 'email', message: 'a guest checkout needs an email' });
    const coupon =
      input.couponCode === undefined || input.couponCode === null ? undefined : this.coupons.get(input.couponCode.toUpperCase());
    if (input.couponCode !== undefined && input.couponCode !== null && (coupon === undefined || !coupon.active))
      errors.push({ field: 'couponCode', message: 'unknown or inactive coupon' });
    if (input.lineItems.length === 0) errors.push({ field: 'lineItems', message: 'at least one line' });
    input.lineItems.forEach((line, index) => {
      const product = this.products.get(line.sku);
      if (product === undefined || !product.active) errors.push({ field: `lineItems[${index}].sku`, message: 'unknown sku' });
      else if (product.tracked && product.available < line.quantity)
        errors.push({ field: `lineItems[${index}].quantity`, message: `only ${product.available} available` });
    });
    const address = input.shippingAddress ?? customer?.addresses[0];
    if (address === undefined) errors.push({ field: 'shippingAddress', message: 'required for a guest checkout' });
    if (errors.length > 0 || email === undefined || address === undefined) throw validationFailed(errors);

    const at = input.at ?? this.timestamp();
    const gross = input.lineItems.map((line) => line.quantity * this.product(line.sku).price);
    const subtotal = gross.reduce((sum, amount) => sum + amount, 0);
    const discount =
      coupon === undefined
        ? 0
        : coupon.type === 'percent'
          ? roundCents((subtotal * coupon.value) / 100)
          : coupon.type === 'fixed'
            ? Math.min(coupon.value, subtotal)
            : 0;
    const lineDiscounts = allocate(discount, gross);
    const lines = input.lineItems.map((line, index) => {
      const product = this.product(line.sku);
      const lineDiscount = lineDiscounts[index] ?? 0;
      if (product.tracked) product.available -= line.quantity;
      return {
        lineId: String(index + 1),
        sku: line.sku,
        name: product.name,
        quantity: line.quantity,
        unitPrice: product.price,
        discount: lineDiscount,
        tax: roundCents(((gross[index]! - lineDiscount) * taxRateBasisPoints) / 10_000),
        ...(product.productType !== undefined && { productType: product.productType }),
      };
    });
    const status = input.status ?? 'processing';
    const orderNumber = String(this.nextOrderNumber++);
    const captureNow = status === 'processing' && input.transactionType !== 'authorize_only';
    const order: OrderRecord = {
      orderId: `CO-${orderNumber}`,
      orderNumber,
      customerId: customer?.customerId ?? null,
      customerEmail: email,
      orderDate: at,
      updatedAt: at,
      status,
      currency: input.currency ?? 'USD',
      shipping: coupon?.type === 'free_shipping' ? 0 : standardShipping,
      couponCode: coupon?.code ?? null,
      billingAddress: input.billingAddress ?? address,
      shippingAddress: address,
      shippingMethod: 'UPS Ground',
      lines,
      payment: {
        method: 'credit_card',
        status: captureNow ? 'captured' : 'authorized',
        gateway: 'stripe',
        transactionId: null,
        cardBrand: 'visa',
        last4: '4242',
      },
      erpReference: null,
      ...(customer?.customerGroup !== undefined && { customerGroup: customer.customerGroup }),
      transactions: [],
      shipments: [],
    };
    const total = orderTotals(order).total;
    order.transactions.push(this.transaction('authorization', total, at, order.currency));
    if (captureNow) order.transactions.push(this.transaction('capture', total, at, order.currency));
    order.payment.transactionId = order.transactions.at(-1)!.transactionId;
    this.orders.set(order.orderId, order);
    this.emit('order.created', orderToWire(order));
    return order;
  }

  /** The merchant captures an authorised payment later, in full or in part (see {@link captureAuthorised}); fires `order.updated`. */
  capturePayment(orderId: string, amount?: Cents): OrderRecord {
    return this.changePayment(orderId, (order, at) =>
      captureAuthorised(order, amount, (left) => this.transaction('capture', left, at, order.currency)),
    );
  }

  /** The merchant voids an authorisation nothing was captured of (see {@link voidAuthorised}); fires `order.updated`. */
  voidPayment(orderId: string): OrderRecord {
    return this.changePayment(orderId, (order, at) =>
      voidAuthorised(order, (amount) => this.transaction('void', amount, at, order.currency)),
    );
  }

  /** A payment change made by the merchant: the order is modified now and Clarity announces it with `order.updated`, its only event for payments. */
  private changePayment(orderId: string, change: (order: OrderRecord, at: string) => void): OrderRecord {
    const order = this.order(orderId);
    const at = this.timestamp();
    change(order, at);
    order.updatedAt = at;
    this.emit('order.updated', orderToWire(order));
    return order;
  }

  private transaction(type: TransactionRecord['type'], amount: Cents, at: string, currency: string) {
    return {
      transactionId: `txn_${String(this.nextTransactionNumber++).padStart(6, '0')}`,
      type,
      amount,
      currency,
      status: 'succeeded' as const,
      gateway: 'stripe',
      createdAt: at,
    };
  }

  /** A merchant moves the order along; capturing payment when it leaves pending. */
  setOrderStatus(orderId: string, status: OrderStatus): OrderRecord {
    const order = this.order(orderId);
    if (order.status === status) return order;
    if (!allowedTransitions[order.status].includes(status)) throw conflict(`order ${orderId} cannot go from ${order.status} to ${status}`);
    const at = this.timestamp();
    if (order.status === 'pending' && status === 'processing') {
      order.transactions.push(this.transaction('capture', orderTotals(order).total, at, order.currency));
      order.payment.status = 'captured';
      order.payment.transactionId = order.transactions.at(-1)!.transactionId;
    }
    if (status === 'cancelled') order.payment.status = order.payment.status === 'captured' ? 'refunded' : 'voided';
    order.status = status;
    order.updatedAt = at;
    this.emit('order.updated', orderToWire(order));
    return order;
  }

  /** The integration writes its ERP document number back; not announced (it is our own write). */
  setErpReference(orderId: string, erpReference: string | null): OrderRecord {
    const order = this.order(orderId);
    order.erpReference = erpReference;
    order.updatedAt = this.timestamp();
    return order;
  }

  /**
   * Records a shipment, idempotent on `shipmentId`: the same content again returns the stored
   * shipment (`created: false`), other content under the same id is a conflict.
   */
  addShipment(orderId: string, input: ShipmentInput, at: string = this.timestamp()): { shipment: ShipmentRecord; created: boolean } {
    const order = this.order(orderId);
    const existing = order.shipments.find((shipment) => shipment.shipmentId === input.shipmentId);
    if (existing !== undefined) {
      const { orderId: _orderId, createdAt: _createdAt, ...stored } = existing;
      if (JSON.stringify(stored) === JSON.stringify(input)) return { shipment: existing, created: false };
      throw conflict(`shipment ${input.shipmentId} already exists with other content`);
    }
    if (order.status === 'fulfilled') throw conflict(`order ${orderId} is already fulfilled`);
    if (order.status !== 'processing') throw conflict(`order ${orderId} is ${order.status} and cannot ship`);
    const unknown = input.lineItems.flatMap((line, index) =>
      order.lines.some((orderLine) => orderLine.sku === line.sku)
        ? []
        : [{ field: `lineItems[${index}].sku`, message: 'not on the order' }],
    );
    if (unknown.length > 0) throw validationFailed(unknown, 'a shipped SKU is not on the order');
    const remaining = this.unshipped(order);
    for (const line of input.lineItems) {
      const left = remaining.get(line.sku) ?? 0;
      if (line.quantity > left) throw conflict(`only ${left} of ${line.sku} are left to ship`);
      remaining.set(line.sku, left - line.quantity);
    }
    const shipment: ShipmentRecord = { ...input, orderId, lineItems: input.lineItems.map((line) => ({ ...line })), createdAt: at };
    order.shipments.push(shipment);
    order.updatedAt = shipment.createdAt;
    if ([...remaining.values()].every((left) => left === 0)) {
      order.status = 'fulfilled';
      this.emit('order.updated', orderToWire(order));
    }
    return { shipment, created: true };
  }

  private unshipped(order: OrderRecord): Map<string, number> {
    const left = new Map<string, number>();
    for (const line of order.lines) left.set(line.sku, (left.get(line.sku) ?? 0) + line.quantity);
    for (const shipment of order.shipments)
      for (const line of shipment.lineItems) left.set(line.sku, (left.get(line.sku) ?? 0) - line.quantity);
    return left;
  }

  /** Sets the absolute available quantity (an integration's write: not announced). */
  setInventory(sku: string, available: number): ProductRecord {
    const product = this.product(sku);
    product.available = available;
    product.updatedAt = this.timestamp();
    return product;
  }

  /**
   * An integration sets the product's name, price or active flag (the ERP owns them): not
   * announced, as it is not a merchant's change; `updatedAt` moves only when a value does.
   */
  writeProduct(sku: string, changes: { name?: string; price?: Cents; active?: boolean }): ProductRecord {
    const product = this.product(sku);
    const changed =
      (changes.name !== undefined && changes.name !== product.name) ||
      (changes.price !== undefined && changes.price !== product.price) ||
      (changes.active !== undefined && changes.active !== product.active);
    if (!changed) return product;
    Object.assign(product, changes, { updatedAt: this.timestamp() });
    return product;
  }

  /** A merchant edits the catalog entry; announced with the fields that changed. */
  updateProduct(sku: string, changes: { name?: string; price?: Cents; active?: boolean; available?: number }): ProductRecord {
    const product = this.product(sku);
    const changedFields: string[] = [];
    if (changes.name !== undefined && changes.name !== product.name) {
      product.name = changes.name;
      changedFields.push('name');
    }
    if (changes.price !== undefined && changes.price !== product.price) {
      product.price = changes.price;
      changedFields.push('price');
    }
    if (changes.active !== undefined && changes.active !== product.active) {
      product.active = changes.active;
      changedFields.push('active');
    }
    if (changes.available !== undefined && changes.available !== product.available) {
      product.available = changes.available;
      changedFields.push('inventory.available');
    }
    if (changedFields.length === 0) return product;
    product.updatedAt = this.timestamp();
    this.emit('product.updated', { productId: product.productId, sku: product.sku, changedFields, product: productToWire(product) });
    return product;
  }

  /** A customer's return (RMA); a `refunded` one carries its refund and restocks what it says. */
  createReturn(input: ReturnInput): ReturnRecord {
    const order = this.order(input.orderId);
    const errors: FieldError[] = [];
    const returned = new Map<string, number>();
    for (const record of this.returns.values()) {
      if (record.orderId === order.orderId && record.status !== 'rejected')
        for (const line of record.lineItems) returned.set(line.sku, (returned.get(line.sku) ?? 0) + line.quantity);
    }
    const lineItems = input.lineItems.map((line, index) => {
      const orderLine = order.lines.find((candidate) => candidate.sku === line.sku);
      if (orderLine === undefined) {
        errors.push({ field: `lineItems[${index}].sku`, message: 'not on the order' });
        return undefined;
      }
      if (line.quantity > orderLine.quantity - (returned.get(line.sku) ?? 0))
        errors.push({ field: `lineItems[${index}].quantity`, message: 'more than was bought' });
      const tax = roundCents((orderLine.tax * line.quantity) / orderLine.quantity);
      const discount = roundCents((orderLine.discount * line.quantity) / orderLine.quantity);
      return { line: { ...line, unitPrice: orderLine.unitPrice, tax }, discount };
    });
    if (input.lineItems.length === 0) errors.push({ field: 'lineItems', message: 'at least one line' });
    if (errors.length > 0) throw validationFailed(errors);
    const at = input.at ?? this.timestamp();
    const lines = lineItems.map((entry) => entry!.line);
    const status = input.status ?? 'requested';
    let refund: ReturnRecord['refund'] = null;
    if (status === 'refunded') {
      const taxAmount = lines.reduce((sum, line) => sum + line.tax, 0);
      const amount = lineItems.reduce(
        (sum, entry) => sum + entry!.line.quantity * entry!.line.unitPrice - entry!.discount + entry!.line.tax,
        0,
      );
      const transaction = this.transaction('refund', amount, at, order.currency);
      order.transactions.push(transaction);
      refund = { amount, taxAmount, refundedAt: at, transactionId: transaction.transactionId, method: 'original_payment' };
      for (const line of lines) if (line.restock) this.products.get(line.sku)!.available += line.quantity;
    }
    const record: ReturnRecord = {
      returnId: `RMA-${this.nextReturnNumber++}`,
      orderId: order.orderId,
      status,
      createdAt: at,
      updatedAt: at,
      currency: order.currency,
      lineItems: lines,
      shippingRefund: 0,
      refund,
    };
    this.returns.set(record.returnId, record);
    this.emit('return.created', returnToWire(record));
    return record;
  }
}
