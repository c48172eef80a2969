export {
  createStripeClient,
  listAllPages,
  type PaymentListFilter,
  type PayoutListFilter,
  type StripeClient,
  type UnixTimeRange,
} from './client.js';
export * from './errors.js';
export { encodeStripeParams, stripeParamPairs, type StripeParams } from './form-encoding.js';
export type {
  StripeBalance,
  StripeBalanceTransaction,
  StripeBalanceTransactionSource,
  StripeCharge,
  StripeDispute,
  StripePaymentIntent,
  StripePayout,
  StripeRefund,
} from './schemas.js';
export {
  classifyStripeResponse,
  createStripeTransport,
  maskSecrets,
  retryAfterMs,
  stripeApiBaseUrl,
  stripeApiVersion,
  type StripeTransport,
  type StripeTransportOptions,
  type StripeWriteOptions,
} from './transport.js';
