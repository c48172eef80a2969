/*
 * The one place that knows Clarity's wire names: paths, query parameters, headers, and the
 * field names of every body read or written, as written down in
 * `contract/clarity-openapi.yaml`. Everything else in the connector (and the webhook
 * receiver) speaks `model.ts`. To re-point the connector at a real CEF or Phoenix site
 * (see the storefront reference, "mapping the proposal to real Clarity names"), rewrite the
 * modules gathered here: their schemas parse the wire and output the model, so callers do not
 * change. Protocol names live in `wire-protocol.ts`, record schemas in `wire-records.ts` (on
 * the scalars of `wire-scalars.ts`), request bodies in `wire-requests.ts`, webhook envelopes
 * in `wire-events.ts`.
 */

export {
  clarityHeaders,
  clarityRoutes,
  clarityScopes,
  oauthErrorFromWire,
  problemFromWire,
  tokenFromWire,
  toWireQuery,
  toWireTokenRequest,
} from './wire-protocol.js';
export {
  couponFromWire,
  customerFromWire,
  inventoryBatchResultFromWire,
  inventoryLevelFromWire,
  listFromWire,
  orderFromWire,
  pageFromWire,
  productFromWire,
  returnFromWire,
  shipmentFromWire,
  transactionListFromWire,
  webhookSubscriptionFromWire,
  webhookSubscriptionWithSecretFromWire,
} from './wire-records.js';
export {
  toWireInventoryBatch,
  toWireInventoryUpdate,
  toWireOrderPatch,
  toWireProductPatch,
  toWireShipment,
  toWireWebhookSubscription,
} from './wire-requests.js';
export { clarityEventTypes, eventFromWire } from './wire-events.js';
