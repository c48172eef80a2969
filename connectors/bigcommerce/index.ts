export { createBigCommerceClient, type BigCommerceClient } from './client.js';
export * from './errors.js';
export { decimalToMinorUnits, minorUnitsToDecimal, parseRfc2822Date } from './formats.js';
export {
  createStoreRequestLimiter,
  readRateLimitHeaders,
  retryAfterMs,
  type RateLimitState,
  type StoreRequestLimiter,
  type StoreRequestLimiterOptions,
} from './rate-limit.js';
export type { BigCommerceCredentials, BigCommerceTransportOptions } from './transport.js';
export type { Customer, CustomerUpdateInput } from './schemas/customers.js';
export { maxCustomerBatch } from './resources/customers.js';
export {
  maxProductBatch,
  maxVariantBatch,
  type Product,
  type ProductCreateInput,
  type ProductUpdateInput,
  type Variant,
  type VariantUpdateInput,
} from './schemas/catalog.js';
export { maxPriceRecordBatch, type PriceRecord, type PriceRecordUpsert } from './resources/price-lists.js';
export type { V3ErrorBody } from './schemas/common.js';
export type { Hook, HookInput } from './schemas/hooks.js';
export type { InventoryItem, InventoryLevelInput, Location } from './schemas/inventory.js';
export type {
  CreateShipmentInput,
  Order,
  OrderAddress,
  OrderCoupon,
  OrderListFilter,
  OrderMetafield,
  OrderProduct,
  OrderShipment,
  OrderShippingAddress,
  OrderTax,
  OrderWithConsignments,
  ShippingConsignment,
} from './schemas/orders.js';
export type { Refund, RefundInput, RefundItemInput, RefundQuote, RefundQuoteInput, Transaction } from './schemas/payments.js';
