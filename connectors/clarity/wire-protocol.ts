import { z } from 'zod';

/*
 * Clarity's protocol names: where each operation lives, the headers with a meaning, the scopes,
 * list query parameters, and the OAuth token and RFC 9457 problem bodies. Part of the wire
 * mapping (see `wire-mapping.ts`).
 */

/** Where each operation lives, relative to the site's origin. Ids are path-encoded here. */
export const clarityRoutes = {
  token: '/oauth/token',
  orders: '/api/v1/orders',
  order: (orderId: string) => `/api/v1/orders/${encodeURIComponent(orderId)}`,
  orderTransactions: (orderId: string) => `/api/v1/orders/${encodeURIComponent(orderId)}/transactions`,
  orderShipments: (orderId: string) => `/api/v1/orders/${encodeURIComponent(orderId)}/shipments`,
  products: '/api/v1/products',
  product: (sku: string) => `/api/v1/products/${encodeURIComponent(sku)}`,
  inventory: '/api/v1/inventory',
  inventoryLevel: (sku: string) => `/api/v1/inventory/${encodeURIComponent(sku)}`,
  inventoryBatch: '/api/v1/inventory:batch',
  customers: '/api/v1/customers',
  customer: (customerId: string) => `/api/v1/customers/${encodeURIComponent(customerId)}`,
  returns: '/api/v1/returns',
  return: (returnId: string) => `/api/v1/returns/${encodeURIComponent(returnId)}`,
  coupon: (code: string) => `/api/v1/coupons/${encodeURIComponent(code)}`,
  webhooks: '/api/v1/webhooks',
  webhook: (webhookId: string) => `/api/v1/webhooks/${encodeURIComponent(webhookId)}`,
  rotateWebhookSecret: (webhookId: string) => `/api/v1/webhooks/${encodeURIComponent(webhookId)}/rotate-secret`,
} as const;

/** Headers with a meaning in the protocol. */
export const clarityHeaders = {
  idempotencyKey: 'Idempotency-Key',
  requestId: 'x-request-id',
  retryAfter: 'retry-after',
  wwwAuthenticate: 'www-authenticate',
  webhookId: 'webhook-id',
  webhookTimestamp: 'webhook-timestamp',
  webhookSignature: 'webhook-signature',
} as const;

/** Every scope the sync may need: what it reads and writes. */
export const clarityScopes = [
  'orders:read',
  'orders:write',
  'products:read',
  'products:write',
  'inventory:write',
  'customers:read',
  'returns:read',
  'webhooks:manage',
];

/** Product writes (the item sync's `PATCH /products/{sku}`): a client not granted it is refused every token that asks for it. */
export const clarityProductWriteScope = 'products:write';

/**
 * The scopes a tenant's token asks for: every scope the sync uses, `products:write` only when the
 * tenant's item sync writes Clarity products, so a client granted no product writes still gets a
 * token (an OAuth server answers `invalid_scope` to a request naming a scope not granted).
 */
export function clarityScopesFor(access: { writesProducts: boolean }): string[] {
  return access.writesProducts ? [...clarityScopes] : clarityScopes.filter((scope) => scope !== clarityProductWriteScope);
}

/** Query parameters of a list call, in Clarity's names; undefined values are left out. */
export function toWireQuery(query: {
  limit?: number;
  cursor?: string;
  updatedSince?: string;
  createdSince?: string;
  status?: string;
  sku?: string;
  email?: string;
}): Record<string, string> {
  const wire: Record<string, string> = {};
  const names = {
    limit: 'limit',
    cursor: 'cursor',
    updatedSince: 'updatedSince',
    createdSince: 'createdSince',
    status: 'status',
    sku: 'sku',
    email: 'email',
  } as const;
  for (const [key, name] of Object.entries(names)) {
    const value = query[key as keyof typeof names];
    if (value !== undefined) wire[name] = String(value);
  }
  return wire;
}

/** The token endpoint's answer (RFC 6749 §5.1). */
export const tokenFromWire = z
  .object({
    access_token: z.string().min(1),
    token_type: z.string().regex(/^bearer$/i, 'a Bearer token'),
    expires_in: z.number().int().positive(),
    scope: z.string().optional(),
  })
  .transform((token) => ({ accessToken: token.access_token, expiresInSeconds: token.expires_in, scope: token.scope }));

/** The token endpoint's error (RFC 6749 §5.2). */
export const oauthErrorFromWire = z.object({ error: z.string(), error_description: z.string().optional() }).transform((error) => ({
  code: error.error,
  description: error.error_description,
}));

/** An RFC 9457 problem, read leniently: only what helps an operator or a retry decision. */
export const problemFromWire = z
  .object({
    type: z.string().optional(),
    title: z.string().optional(),
    status: z.number().optional(),
    detail: z.string().optional(),
    errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  })
  .transform((problem) => ({
    code: problem.type,
    title: problem.title,
    detail: problem.detail,
    fieldErrors: problem.errors ?? [],
  }));

/** The token request body for the client-credentials grant. */
export function toWireTokenRequest(scopes: readonly string[]): Record<string, string> {
  return { grant_type: 'client_credentials', scope: scopes.join(' ') };
}
