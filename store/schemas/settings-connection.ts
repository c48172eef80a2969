// Tenant settings, `connection`: which storefront and which Intacct company a tenant talks to.
// Part of the schema in ./settings.ts, which is the module to import settings from.
import { z } from 'zod';
import { httpUrl, identifier } from './fields.js';

/** The real Intacct XML gateway; tenants on the sandbox override it. */
export const intacctGatewayUrl = 'https://api.intacct.com/ia/xml/xmlgw.phtml';
/** The real BigCommerce API host; the sandbox overrides it. */
export const bigCommerceApiUrl = 'https://api.bigcommerce.com';
/** The real Stripe API host; the sandbox overrides it. */
export const stripeApiUrl = 'https://api.stripe.com';

const bigCommerceConnectionSchema = z.strictObject({
  kind: z.literal('bigcommerce'),
  storeHash: identifier('storeHash').regex(/^[a-z0-9]+$/, 'storeHash is the lower-case letters and digits in the store API path'),
  apiBaseUrl: httpUrl('apiBaseUrl').default(bigCommerceApiUrl),
});

const clarityConnectionSchema = z.strictObject({
  kind: z.literal('clarity'),
  /** Where the Clarity API lives, e.g. `https://shop.example.com/api/v1`; the token endpoint hangs off it. */
  baseUrl: httpUrl('baseUrl'),
});

/** The non-secret connection identifiers: storefront kind and ids, Intacct company, entity and endpoint. */
export const connectionSettingsSchema = z.strictObject(
  {
    storefront: z.discriminatedUnion('kind', [bigCommerceConnectionSchema, clarityConnectionSchema], {
      error: 'storefront.kind must be bigcommerce or clarity',
    }),
    intacct: z.strictObject({
      companyId: identifier('companyId'),
      /** Entity (location) id of a multi-entity company; absent means the top level. */
      entityId: identifier('entityId').optional(),
      endpointUrl: httpUrl('endpointUrl').default(intacctGatewayUrl),
    }),
    /**
     * The tenant's Stripe account, for payouts and fees (issue 18). Absent: the tenant reads no
     * payouts from Stripe. Its secret key and webhook signing secret are credentials, not settings.
     */
    stripe: z.strictObject({ apiBaseUrl: httpUrl('apiBaseUrl').default(stripeApiUrl) }).optional(),
  },
  {
    error: (issue) =>
      issue.code !== 'invalid_type' ? undefined : issue.input === undefined ? 'connection is required' : 'connection must be an object',
  },
);

/** The non-secret connection identifiers a tenant is created with. */
export type ConnectionSettingsInput = z.input<typeof connectionSettingsSchema>;
