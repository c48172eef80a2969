import type { ClarityEvent } from '../../connectors/clarity/index.js';
import type { StorefrontEvent } from './ports.js';

/**
 * What an order or return id must look like to be taken from a webhook: it becomes part of a
 * workflow id (`order-to-cash:{tenant}:{orderId}`) and of the storefront URL the workflow reads,
 * so it is a plain identifier (Clarity's are `CO-100045`, `RMA-3001`), at most 100 characters as
 * the admin API's order routes take. Anything else is refused with 400 rather than started.
 */
export const clarityEntityIdPattern = /^[A-Za-z0-9][A-Za-z0-9._~-]{0,99}$/;

/**
 * The most UTF-8 bytes a SKU taken from a webhook may have. The SKU names the stock sync's
 * workflow (`inventory-sku:{tenant}:sku:{sku}`), and Temporal refuses ids over 1,000 bytes;
 * 255 is BigCommerce's own SKU limit and well inside Intacct's item ids.
 */
export const maxSkuBytes = 255;

/**
 * Why a SKU from a webhook cannot be used, or undefined when it can. SKUs are the merchant's
 * free text (spaces, accents and symbols are real), so only what cannot be a SKU is refused:
 * empty, over {@link maxSkuBytes}, control characters, or text that is not well-formed Unicode
 * (a lone surrogate cannot be sent to Temporal or Intacct as UTF-8).
 */
export function skuProblem(sku: string): string | undefined {
  if (sku.length === 0) return 'expected a SKU, got an empty string';
  // With the `u` flag a surrogate pair is one code point, so this matches lone surrogates only.
  if (/\p{Cs}/u.test(sku)) return 'expected well-formed Unicode (the SKU holds a lone surrogate)';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f-\u009f]/.test(sku)) return 'expected no control characters';
  if (Buffer.byteLength(sku, 'utf8') > maxSkuBytes) return `expected at most ${maxSkuBytes} bytes of UTF-8`;
  return undefined;
}

/** Why an event's workflow-naming ids cannot be used, or undefined when they can. */
export function unusableEntityIds(event: ClarityEvent): string | undefined {
  if (event.type === 'product.updated') {
    const problem = skuProblem(event.sku);
    return problem === undefined ? undefined : `data.sku: ${problem}`;
  }
  const ids: Array<[string, string]> =
    event.type === 'order.created' || event.type === 'order.updated'
      ? [['data.orderId', event.orderId]]
      : event.type === 'return.created'
        ? [
            ['data.returnId', event.returnId],
            ['data.orderId', event.orderId],
          ]
        : [];
  const bad = ids.filter(([, id]) => !clarityEntityIdPattern.test(id)).map(([path]) => path);
  return bad.length === 0 ? undefined : `${bad.join(', ')}: expected an identifier of letters, digits, '.', '_', '~' and '-' (at most 100)`;
}

/** A validated Clarity event in the product's words; `deliveryId` is the `webhook-id`. */
export function toStorefrontEvent(tenantId: string, deliveryId: string, event: ClarityEvent): StorefrontEvent {
  const common = { tenantId, storefront: 'clarity' as const, topic: event.type, deliveryId, occurredAt: event.occurredAt };
  switch (event.type) {
    case 'order.created':
    case 'order.updated':
      return { ...common, entity: 'order', entityId: event.orderId };
    case 'product.updated':
      // Items are matched by SKU everywhere in the sync, so the SKU is the product's key here.
      return { ...common, entity: 'product', entityId: event.sku };
    case 'return.created':
      return { ...common, entity: 'return', entityId: event.returnId, orderId: event.orderId };
  }
}
