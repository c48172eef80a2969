import type { StorefrontKind } from './canonical-order.js';
/**
 * The product's own view of a storefront refund (BigCommerce refund, Clarity return), whatever
 * the storefront: money in minor units of the order's currency, tax-exclusive amounts with tax
 * separate, so that Σ line amounts + shipping + handling + other + tax = total.
 */
export interface CanonicalRefundLine {
  /** The original order's canonical line id (what the order's items were resolved by). */
  lineId: string;
  sku: string;
  quantity: number;
  /** What is refunded for this line, tax excluded, in minor units. */
  amount: number;
  /** Tax refunded for this line, when the storefront says (else part of the refund's tax only). */
  tax?: number;
  /**
   * Whether the goods came back and may go into stock: `true`/`false` when the storefront says
   * (a Clarity return line), absent when it does not (a BigCommerce refund); the tenant's
   * `returns.restock` decides in every case.
   */
  restock?: boolean;
}

export interface CanonicalRefund {
  storefront: StorefrontKind;
  /** BigCommerce refund id, or Clarity return id. */
  refundId: string;
  orderId: string;
  /** ISO 8601, UTC. */
  createdAt: string;
  currency: string;
  lines: CanonicalRefundLine[];
  /** Shipping refunded, tax excluded. */
  shipping: number;
  handling: number;
  /** Amounts refunded against the order as a whole (BigCommerce ORDER items), tax excluded. */
  orderLevel: number;
  /** All tax refunded. */
  tax: number;
  /** What goes back to the buyer. */
  total: number;
  /** The payment method money is returned to (the order's, when the storefront does not say). */
  paymentMethod?: string;
  /**
   * The part of `total` given back as store credit or a gift certificate rather than money, in
   * minor units (absent: none). It is credited like the rest but pays no cash out.
   */
  storeCredit?: number;
  reason?: string;
}

/** What goes back to the buyer as money: the total less store credit. */
export function cashRefunded(refund: Pick<CanonicalRefund, 'total' | 'storeCredit'>): number {
  return refund.total - (refund.storeCredit ?? 0);
}

/** total − (lines + shipping + handling + orderLevel + tax); 0 when the refund balances. */
export function refundImbalance(refund: Pick<CanonicalRefund, 'lines' | 'shipping' | 'handling' | 'orderLevel' | 'tax' | 'total'>): number {
  return (
    refund.total -
    (refund.lines.reduce((sum, line) => sum + line.amount, 0) + refund.shipping + refund.handling + refund.orderLevel + refund.tax)
  );
}

/** Why a storefront refund cannot be read as a canonical refund, listing every reason. */
export class RefundMappingError extends Error {
  override readonly name = 'RefundMappingError';
  readonly type = 'RefundMappingError';
  constructor(
    readonly refundId: string,
    readonly problems: readonly string[],
  ) {
    super(`refund ${refundId} cannot be read: ${problems.join('; ')}`);
  }
}
