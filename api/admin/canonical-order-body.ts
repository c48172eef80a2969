import { z } from 'zod';
import { storefrontKinds, type CanonicalOrder } from '../../mappers/canonical-order.js';

const minor = z.int('amounts are whole minor units (cents)');
const text = z.string().min(1).max(500);
const attributes = z.record(z.string().max(200), z.string().max(2000));

const address = z.object({
  firstName: z.string().max(200),
  lastName: z.string().max(200),
  company: z.string().max(200).optional(),
  line1: z.string().max(500),
  line2: z.string().max(500).optional(),
  city: z.string().max(200),
  region: z.string().max(200).optional(),
  postalCode: z.string().max(50).optional(),
  country: z.string().length(2, 'country is an ISO 3166-1 alpha-2 code'),
  email: z.string().max(320).optional(),
  phone: z.string().max(100).optional(),
});

const taxComponent = z.object({ name: text, ratePercent: z.string().max(20).optional(), amount: minor });

const line = z.object({
  lineId: text,
  sku: text,
  productId: text.optional(),
  name: z.string().max(500),
  quantity: z.number().positive(),
  unitPrice: minor,
  lineTotal: minor,
  lineDiscount: minor,
  tax: minor,
  taxes: z.array(taxComponent).optional(),
  upc: text.optional(),
  locationId: text.optional(),
  shipToId: text.optional(),
  attributes: attributes.optional(),
  productCustomFields: z.record(z.string().max(250), z.string().max(250)).optional(),
  brand: z.string().max(250).optional(),
  brandId: text.optional(),
  categories: z.array(z.string().max(250)).max(1000).optional(),
  categoryIds: z.array(text).max(1000).optional(),
});

/**
 * A canonical order as a request body (the preview of a pasted order): the shape storefront
 * mappers produce, amounts in minor units of the order's currency (mappers/canonical-order.ts).
 */
export const canonicalOrderBody: z.ZodType<CanonicalOrder> = z.object({
  storefront: z.enum(storefrontKinds),
  orderId: text,
  status: z.string().max(100),
  placedAt: z.iso.datetime({ offset: true }),
  currency: z.string().regex(/^[A-Z]{3}$/, 'currency is an ISO 4217 code'),
  customer: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('registered'), customerId: text, email: z.string().max(320).optional() }),
    z.object({ kind: z.literal('guest'), email: z.string().max(320).optional() }),
  ]),
  billingAddress: address,
  shippingAddress: address.optional(),
  lines: z.array(line).min(1).max(1000),
  shipping: minor,
  handling: minor,
  giftWrapping: minor.optional(),
  pricesIncludeTax: z.boolean().optional(),
  chargeTaxes: z
    .array(taxComponent.extend({ name: text.optional(), appliesTo: z.enum(['shipping', 'handling', 'giftWrapping']) }))
    .optional(),
  shipTos: z.array(z.object({ id: text, address, shippingMethod: text.optional() })).optional(),
  discount: minor,
  tax: minor,
  total: minor,
  couponCodes: z.array(text).default(() => []),
  paymentMethod: text.optional(),
  amountPaid: minor.default(0),
  gatewayTransactionIds: z.array(text).optional(),
  attributes: attributes.default(() => ({})),
  metafields: z.record(z.string().max(129), z.string().max(65535)).optional(),
});
