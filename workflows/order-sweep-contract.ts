import type { OrderToCashInput } from './order-to-cash-contract.js';
import type { ReturnToCreditMemoInput } from './return-to-credit-memo-contract.js';
import type { FailureCatalogue } from './shared-contract.js';

/**
 * The safety-net sweep's and the backfill's contract (orders, and refunds when the tenant processes returns): workflow types, ids, inputs and results,
 * and the activities they call with their inputs and results.
 * The worker's schedules, the admin API and tests depend on this module, never on the
 * workflows' code. Type imports only, so any process can load it.
 */
export const orderSweepWorkflowType = 'orderSweep';
export const orderBackfillWorkflowType = 'orderBackfill';

/** The tenant's sweep schedule: `order-sweep:{tenantId}`. */
export function orderSweepScheduleId(tenantId: string): string {
  return `order-sweep:${tenantId}`;
}

/**
 * The workflow id the schedule starts its runs with: `order-sweep-run:{tenantId}` (Temporal
 * appends each run's scheduled time to it).
 */
export function orderSweepRunWorkflowId(tenantId: string): string {
  return `order-sweep-run:${tenantId}`;
}

/**
 * One backfill per tenant and window: `order-backfill:{tenantId}:{from}:{to}`, both instants
 * as `Date.toISOString()` writes them, so the same window asked twice is the same workflow.
 */
export function orderBackfillWorkflowId(tenantId: string, from: string, to: string): string {
  return `order-backfill:${tenantId}:${new Date(from).toISOString()}:${new Date(to).toISOString()}`;
}

/** The prefix every backfill workflow id of the tenant starts with. */
export function orderBackfillWorkflowIdPrefix(tenantId: string): string {
  return `order-backfill:${tenantId}:`;
}

/** Counts a sweep or backfill reports (and carries across continue-as-new). */
export interface OrderDiscoveryTotals {
  /** Storefront list pages read. */
  pages: number;
  /** Orders the storefront listed as changed in the window. */
  listed: number;
  /** OrderToCash workflows started. */
  started: number;
  /** Orders whose OrderToCash was already running: nothing was started for them. */
  alreadyRunning: number;
  /** Refunds (Clarity: refunded returns) the storefront made in the window; 0 unless `returns.enabled`. */
  refundsListed: number;
  /** ReturnToCreditMemo workflows started. */
  refundsStarted: number;
  /** Refunds whose ReturnToCreditMemo was already running: nothing was started for them. */
  refundsAlreadyRunning: number;
}

/** Where a sweep or backfill that continued as new picks up. */
export interface OrderDiscoveryProgress {
  cursor: string;
  /** Which listing the cursor pages: orders first, then refunds; orders when absent. */
  phase?: 'orders' | 'refunds';
  totals: OrderDiscoveryTotals;
}

export interface OrderSweepInput {
  tenantId: string;
  /** Set only by continue-as-new: the window already chosen and the page to go on from. */
  resume?: OrderDiscoveryProgress & { since: string; until: string };
  /** Pages read before the run continues as new (bounds the history); 100 by default. */
  pagesPerRun?: number;
}

/** What a sweep's check of the tenant's storefront webhooks found and repaired. */
export interface StorefrontWebhookCheck {
  /** Hooks (BigCommerce) or subscriptions (Clarity) pointing at the tenant's receiver. */
  checked: number;
  /** Hooks the storefront had deactivated and the check re-activated. */
  reactivated: number;
  /** Topics (BigCommerce scopes, Clarity event types) nothing is registered for: the register route recreates them, the sweep cannot. */
  missing: number;
  /** Subscriptions the storefront disabled for good (Clarity has no way to enable one again). */
  disabled: number;
  /** The code of the attention item the check raised; absent when all was well. */
  attention?: string;
}

export interface OrderSweepResult extends OrderDiscoveryTotals {
  tenantId: string;
  /** The window swept: orders changed at or after `since` and at or before `until` (ISO 8601). */
  since: string;
  until: string;
  /**
   * The check of the storefront's webhooks, run once the window is swept; `failed` (its
   * message) when the check itself could not finish, which leaves the sweep's result standing.
   * Absent from runs begun before sweeps checked webhooks.
   */
  webhooks?: StorefrontWebhookCheck | { failed: string };
}

export interface OrderBackfillInput {
  tenantId: string;
  /** ISO 8601 instants: orders changed at or after `from` and at or before `to`. */
  from: string;
  to: string;
  /** Set only by continue-as-new. */
  resume?: OrderDiscoveryProgress;
  /** Pages read before the run continues as new (bounds the history); 100 by default. */
  pagesPerRun?: number;
}

export interface OrderBackfillResult extends OrderDiscoveryTotals {
  tenantId: string;
  from: string;
  to: string;
}

/** Failure types the sweep's and the backfill's activities throw themselves (never retried). */
export const orderSweepFailures = {
  TemporalClientMissing: {
    code: 'temporal_client_missing',
    fix: 'the worker was built without a Temporal client (ActivityDependencies.temporal); start it with one, then run the sweep again',
  },
  InvalidDate: {
    code: 'invalid_date',
    fix: 'give the window as ISO 8601 instants, then start the backfill again',
  },
} as const satisfies FailureCatalogue;

export interface ListChangedOrdersInput {
  tenantId: string;
  /** ISO 8601: orders changed at or after this instant. */
  since: string;
  /** ISO 8601: orders changed at or before this instant; open-ended when absent. */
  until?: string;
  /** The `nextCursor` of the previous page; absent for the first page. */
  cursor?: string;
}

/** One page of changed orders: ids only, so the workflow history stays small. */
export interface ListChangedOrdersResult {
  storefront: OrderToCashInput['storefront'];
  orderIds: string[];
  /** Present when there is another page. */
  nextCursor?: string;
  /** The latest modification time on this page (ISO 8601), when the page has orders. */
  newestModifiedAt?: string;
}

export interface StartOrderToCashInput {
  tenantId: string;
  storefront: OrderToCashInput['storefront'];
  orderIds: string[];
  trigger: Extract<OrderToCashInput['trigger'], 'sweep' | 'backfill'>;
}

export interface StartOrderToCashResult {
  started: number;
  alreadyRunning: number;
}

/** One page of refunds (BigCommerce) or refunded returns (Clarity) of the window: ids only. */
export interface ListChangedRefundsResult {
  storefront: OrderToCashInput['storefront'];
  /** The refund (or return) id with the order it refunds. */
  refunds: Array<{ refundId: string; orderId: string }>;
  /** Present when there is another page. */
  nextCursor?: string;
  /** false when the tenant does not process returns (`returns.enabled` off): nothing was asked of the storefront. */
  enabled: boolean;
}

export interface StartReturnToCreditMemoInput {
  tenantId: string;
  storefront: ReturnToCreditMemoInput['storefront'];
  refunds: Array<{ refundId: string; orderId: string }>;
  trigger: Extract<ReturnToCreditMemoInput['trigger'], 'sweep' | 'backfill'>;
}

export interface SweepCursorState {
  /** Where the previous sweep ended (ISO 8601); absent before the first sweep. */
  lastSweptUntil?: string;
  /** The tenant's `orderSync.sweep.lookbackMinutes`: how far before that to start looking. */
  lookbackMinutes: number;
}

export interface CheckStorefrontWebhooksInput {
  tenantId: string;
  /** The sweep that checks, named on the attention item and as whoever resolved it. */
  workflowId: string;
}

/**
 * The sweep's and the backfill's activities that find changed orders and refunds and start
 * their workflows; `activities/order-discovery.ts` implements them and `satisfies` this.
 * Connector failures leave as classified Temporal failures (`withConnectorFailures`).
 */
export interface OrderDiscoveryActivities {
  /** One page of the orders the storefront changed in the window. */
  listChangedOrders(input: ListChangedOrdersInput): Promise<ListChangedOrdersResult>;
  /** Starts OrderToCash for each order; one already running is counted, not started. */
  startOrderToCash(input: StartOrderToCashInput): Promise<StartOrderToCashResult>;
  /** One page of the refunds the storefront made in the window, when the tenant processes returns. */
  listChangedRefunds(input: ListChangedOrdersInput): Promise<ListChangedRefundsResult>;
  /** Starts ReturnToCreditMemo for each refund; one already running is counted, not started. */
  startReturnToCreditMemo(input: StartReturnToCreditMemoInput): Promise<StartOrderToCashResult>;
  readSweepCursor(input: { tenantId: string }): Promise<SweepCursorState>;
  saveSweepCursor(input: { tenantId: string; lastSweptUntil: string }): Promise<{ lastSweptUntil: string }>;
}

/** The sweep's check of the tenant's storefront webhooks; `activities/webhook-health.ts` implements it and `satisfies` this. */
export interface WebhookHealthActivities {
  /** Re-activates deactivated hooks and raises (or resolves) the tenant's webhook attention item. */
  checkStorefrontWebhooks(input: CheckStorefrontWebhooksInput): Promise<StorefrontWebhookCheck>;
}
