/**
 * OrderPreview's contract: a dry-run of OrderToCash's posting, run by the worker so that the
 * preview and the workflow share their activities' code. Workflow id, input and result, and the
 * one activity it calls. Type imports only, so any process can load it.
 */
import type { SalesDocumentInput } from '../connectors/intacct/functions/create-sotransaction.js';
import type { CanonicalOrder, StorefrontKind } from '../mappers/canonical-order.js';
import type { RuleDecisions } from '../mappers/order-rules.js';
import type { ItemResolution, OrderCheck } from './order-to-cash-contract.js';

/** The workflow type the API starts for a preview. */
export const orderPreviewWorkflowType = 'orderPreview';

/** What to preview: a storefront order as the store has it now, or a canonical order as given. */
export type OrderPreviewInput = { tenantId: string; customerId?: string } & (
  { kind: 'storefront'; storefront: StorefrontKind; orderId: string } | { kind: 'canonical'; order: CanonicalOrder }
);

/** One workflow per request: `order-preview:{tenantId}:{orderId}:{requestId}`; previews change nothing, so none is ever reused. */
export const orderPreviewWorkflowId = (tenantId: string, orderId: string, requestId: string): string =>
  `order-preview:${tenantId}:${orderId}:${requestId}`;

/** The Intacct customer a preview posts to, and how it was found. */
export type PreviewCustomer =
  | { customerId: string; source: 'given' | 'mapping' | 'guest' }
  /** The workflow would look the shopper up in Intacct by the tenant's match key, or create this customer: a write the preview does not make. */
  | { customerId?: string; source: 'matchOrCreate'; note: string };

/** Exactly what OrderToCash would send to Intacct for an order now, and everything that would stop it. */
export interface OrderPreview {
  order: CanonicalOrder;
  /** The status gate and balance check, as the workflow runs them first. */
  check: OrderCheck;
  customer: PreviewCustomer;
  items: ItemResolution;
  /** The entity the rules route the document to; absent: the connection's. */
  entityId?: string;
  /** The `create_sotransaction` the workflow would send; absent when the order does not map. */
  document?: SalesDocumentInput & { referenceNumber: string };
  /** What the tenant's rules set, each value with the rule and case that set it. */
  rules: RuleDecisions;
  /** Every reason the order would be parked or not posted now; empty: it would post as shown. */
  problems: string[];
}

/** The activity OrderPreview calls; `activities/order-preview.ts` implements it. */
export interface OrderPreviewActivities {
  /** Reads the order, checks it, resolves its items and maps it, writing nothing. */
  previewOrder(input: OrderPreviewInput): Promise<OrderPreview>;
}
