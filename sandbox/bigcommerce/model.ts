/** The sandbox store's records, in the sandbox's own words (cents, Dates); routes format them. */

export interface Address {
  first_name: string;
  last_name: string;
  company: string;
  street_1: string;
  street_2: string;
  city: string;
  state: string;
  zip: string;
  country: string;
  country_iso2: string;
  phone: string;
  email: string;
}

export interface CatalogVariant {
  id: number;
  productId: number;
  sku: string;
  optionLabel: string | undefined;
  priceCents: number | undefined;
  costCents: number | undefined;
  /** UPC/GTIN; absent when the merchant gave none. */
  upc?: string;
  /** Set by a catalog write; absent: the variant can be bought. */
  purchasingDisabled?: boolean;
}

export interface CatalogProduct {
  id: number;
  name: string;
  sku: string;
  priceCents: number;
  costCents: number;
  tracking: 'none' | 'product' | 'variant';
  /** As created through the API; absent (seeded products): digital when stock is not tracked. */
  type?: 'physical' | 'digital';
  /** Category ids, as created or updated through the API or seeded. */
  categories?: number[];
  /** The product's brand (`brand_id`); absent: none (the API shows 0). */
  brandId?: number;
  baseVariantId: number;
  modifiedAt: Date;
  /** Set by a catalog write; absent: the product is visible. */
  isVisible?: boolean;
  /** Variants with options; a product without options has only its base variant. */
  variants: CatalogVariant[];
  /** The product's custom fields (`/catalog/products/{id}/custom-fields`); absent: none. */
  customFields?: ProductCustomField[];
}

/** A brand of the catalogue (`/v3/catalog/brands`). */
export interface CatalogBrand {
  id: number;
  name: string;
}

/** A category of one of the store's category trees (`/v3/catalog/trees/categories`); ids are unique across trees. */
export interface CatalogCategory {
  id: number;
  /** 0: a top-level category of its tree. */
  parentId: number;
  treeId: number;
  name: string;
}

/** A product custom field: a name and value the merchant shows with the product. */
export interface ProductCustomField {
  id: number;
  name: string;
  value: string;
}

/** An order metafield: an app's own data on the order, by namespace and key. */
export interface OrderMetafield {
  id: number;
  namespace: string;
  key: string;
  value: string;
  description: string;
  permissionSet: 'app_only' | 'read' | 'write' | 'read_and_sf_access' | 'write_and_sf_access';
  createdAt: Date;
  modifiedAt: Date;
}

export interface Location {
  id: number;
  code: string;
  label: string;
  isDefault: boolean;
}

/** On-hand stock of one variant at one location. */
export interface StockLevel {
  variantId: number;
  locationId: number;
  onHand: number;
  safetyStock: number;
  warningLevel: number;
}

export interface CustomerAddress {
  id: number;
  address1: string;
  address2: string;
  city: string;
  state_or_province: string;
  postal_code: string;
  country_code: string;
  country: string;
}

export interface Customer {
  id: number;
  email: string;
  firstName: string;
  lastName: string;
  company: string;
  phone: string;
  /** The customer group (`customer_group_id`); absent or 0: none. */
  customerGroupId?: number;
  createdAt: Date;
  modifiedAt: Date;
  addresses: CustomerAddress[];
}

/** One price record: a variant's price in one currency on a price list (prices are per variant). */
export interface PriceRecord {
  variantId: number;
  currency: string;
  priceCents: number;
  salePriceCents?: number;
  retailPriceCents?: number;
  mapPriceCents?: number;
  modifiedAt: Date;
}

/** A price list (`/v3/pricelists`) and its records; `customerGroupId` stands for its assignment. */
export interface PriceList {
  id: number;
  name: string;
  active: boolean;
  customerGroupId?: number;
  records: PriceRecord[];
}

/** A customer group (`/v2/customer_groups`). The sandbox's are fixed: a store sets them up once. */
export interface CustomerGroup {
  id: number;
  name: string;
}

/** The store's customer groups: retail and wholesale buyers, and accounts whose credit is on hold. */
export const customerGroups: readonly CustomerGroup[] = [
  { id: 1, name: 'Retail' },
  { id: 2, name: 'Wholesale' },
  { id: 3, name: 'Credit hold' },
];

export interface OrderLine {
  id: number;
  productId: number;
  variantId: number;
  name: string;
  sku: string;
  unitPriceExTaxCents: number;
  unitTaxCents: number;
  quantity: number;
  quantityShipped: number;
  quantityRefunded: number;
  orderAddressId: number;
  /** The tax rate the store applied to the line, by its name (absent: the store's default sales tax). */
  tax?: { name: string; ratePercent: string };
  /** The variant's UPC/GTIN when the order was placed. */
  upc?: string;
  /** The product's type when the order was placed (`type` of the order product); absent: physical. */
  productType?: 'physical' | 'digital';
}

export interface OrderShippingAddress extends Address {
  id: number;
  shippingMethod: string;
  costExTaxCents: number;
  costTaxCents: number;
}

export interface Shipment {
  id: number;
  orderAddressId: number;
  createdAt: Date;
  trackingNumber: string;
  shippingProvider: string;
  trackingCarrier: string;
  trackingLink: string;
  shippingMethod: string;
  comments: string;
  items: { orderProductId: number; productId: number; quantity: number }[];
}

export interface Coupon {
  id: number;
  couponId: number;
  code: string;
  type: number;
  amount: number;
  discountCents: number;
}

export interface Transaction {
  id: number;
  event: 'purchase' | 'authorization' | 'capture' | 'void' | 'refund';
  amountCents: number;
  gateway: string;
  gatewayTransactionId: string;
  createdAt: Date;
  status: 'ok' | 'error';
}

export type RefundItem = { item_type: string; item_id: number; quantity?: number; amount?: number; reason?: string };

export interface Refund {
  id: number;
  orderId: number;
  createdAt: Date;
  reason: string;
  totalCents: number;
  taxCents: number;
  items: (RefundItem & { requestedCents: number })[];
  payments: { id: number; providerId: string; amountCents: number; offline: boolean }[];
}

export interface Order {
  id: number;
  customerId: number;
  statusId: number;
  createdAt: Date;
  modifiedAt: Date;
  shippedAt: Date | undefined;
  currency: string;
  billing: Address;
  staffNotes: string;
  customerMessage: string;
  paymentMethod: string;
  paymentStatus: string;
  discountCents: number;
  /** Gift wrapping, tax excluded (`wrapping_cost_ex_tax`); absent: none. Not taxed (the store's wrapping tax class is tax-free). */
  wrappingCents?: number;
  lines: OrderLine[];
  addresses: OrderShippingAddress[];
  coupons: Coupon[];
  shipments: Shipment[];
  transactions: Transaction[];
  refunds: Refund[];
  refundedCents: number;
  isDeleted: boolean;
  /** The store's prices included tax when the order was placed (`is_tax_inclusive_pricing`). */
  taxInclusive?: boolean;
  /** The rate shipping was taxed at, when it was. */
  shippingTax?: { name: string; ratePercent: string };
  /** Metafields apps wrote on the order (`/v3/orders/{id}/metafields`); absent: none. */
  metafields?: OrderMetafield[];
}

export interface Hook {
  id: number;
  clientId: string;
  scope: string;
  destination: string;
  isActive: boolean;
  headers: Record<string, string>;
  createdAt: number;
  updatedAt: number;
}

/** The BigCommerce order statuses (fixed ids; merchants only rename them). */
export const orderStatuses: Record<number, string> = {
  0: 'Incomplete',
  1: 'Pending',
  2: 'Shipped',
  3: 'Partially Shipped',
  4: 'Refunded',
  5: 'Cancelled',
  6: 'Declined',
  7: 'Awaiting Payment',
  8: 'Awaiting Pickup',
  9: 'Awaiting Shipment',
  10: 'Completed',
  11: 'Awaiting Fulfillment',
  12: 'Manual Verification Required',
  13: 'Disputed',
  14: 'Partially Refunded',
};

/** Order totals, derived from lines, shipping and discounts so they always balance. */
export function orderTotals(order: Order) {
  const subtotalExTax = order.lines.reduce((sum, line) => sum + line.unitPriceExTaxCents * line.quantity, 0);
  const subtotalTax = order.lines.reduce((sum, line) => sum + line.unitTaxCents * line.quantity, 0);
  const shippingExTax = order.addresses.reduce((sum, address) => sum + address.costExTaxCents, 0);
  const shippingTax = order.addresses.reduce((sum, address) => sum + address.costTaxCents, 0);
  const couponDiscount = order.coupons.reduce((sum, coupon) => sum + coupon.discountCents, 0);
  const wrapping = order.wrappingCents ?? 0;
  // discount_amount (manual discounts) and coupon_discount are separate and both come off the total.
  const totalExTax = subtotalExTax + shippingExTax + wrapping - order.discountCents - couponDiscount;
  const totalTax = subtotalTax + shippingTax;
  return {
    subtotalExTax,
    subtotalTax,
    shippingExTax,
    shippingTax,
    wrapping,
    couponDiscount,
    totalExTax,
    totalTax,
    totalIncTax: totalExTax + totalTax,
  };
}
