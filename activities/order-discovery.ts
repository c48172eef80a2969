import { activityInfo, heartbeat } from '@temporalio/activity';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { parseRfc2822Date } from '../connectors/bigcommerce/index.js';
import { readSweepCursor as loadSweepCursor, saveSweepCursor as storeSweepCursor } from '../store/sweep-cursors.js';
import {
  orderToCashSearchAttributes,
  orderToCashWorkflowId,
  orderToCashWorkflowType,
  type OrderToCashInput,
} from '../workflows/order-to-cash-contract.js';
import {
  returnToCreditMemoSearchAttributes,
  returnToCreditMemoWorkflowId,
  returnToCreditMemoWorkflowType,
  type ReturnToCreditMemoInput,
} from '../workflows/return-to-credit-memo-contract.js';
import {
  orderSweepFailures,
  type ListChangedOrdersInput,
  type ListChangedOrdersResult,
  type ListChangedRefundsResult,
  type OrderDiscoveryActivities,
  type StartOrderToCashInput,
  type StartOrderToCashResult,
  type StartReturnToCreditMemoInput,
  type SweepCursorState,
} from '../workflows/order-sweep-contract.js';
import { withConnectorFailures } from './connector-failure.js';
import { flowFailure } from './flow-failure.js';
import type { ActivityDependencies } from './dependencies.js';
import { tenantPriority } from '../workflows/task-priority.js';

export interface OrderDiscoveryOptions {
  /** Orders (and refunds) per storefront list call: BigCommerce allows 250, Clarity 200. Tests lower them to exercise paging. */
  bigCommercePageSize?: number;
  clarityPageSize?: number;
}

/** Starts this many OrderToCash workflows at a time: enough to overlap round trips, few enough to spare the frontend. */
const startConcurrency = 8;

/**
 * Activities of the safety-net sweep and the backfill: list the orders a storefront changed in
 * a window and the refunds it made in it (one page per call), start OrderToCash and
 * ReturnToCreditMemo for them, and keep the tenant's sweep cursor.
 */
export function createOrderDiscoveryActivities(deps: ActivityDependencies, options: OrderDiscoveryOptions = {}) {
  const bigCommercePageSize = options.bigCommercePageSize ?? 250;
  const clarityPageSize = options.clarityPageSize ?? 200;

  async function listChangedOrders(input: ListChangedOrdersInput): Promise<ListChangedOrdersResult> {
    const connection = await deps.connections.forTenant(input.tenantId);
    const storefront = await connection.storefront();
    if (storefront.kind === 'bigcommerce') {
      const page = input.cursor === undefined ? 1 : Number(input.cursor);
      const orders = await storefront.client.orders.listOrders({
        min_date_modified: toRfc2822(input.since, 'down'),
        ...(input.until !== undefined && { max_date_modified: toRfc2822(input.until, 'up') }),
        // Oldest change first with the id as it comes: pages stay put while later changes append.
        sort: 'date_modified:asc',
        page,
        limit: bigCommercePageSize,
      });
      return {
        storefront: 'bigcommerce',
        orderIds: orders.map((order) => String(order.id)),
        ...(orders.length === bigCommercePageSize && { nextCursor: String(page + 1) }),
        ...newest(orders.map((order) => parseRfc2822Date(order.date_modified))),
      };
    }
    const page = await storefront.client.listOrders({
      updatedSince: new Date(input.since).toISOString(),
      limit: clarityPageSize,
      ...(input.cursor !== undefined && { cursor: input.cursor }),
    });
    // Clarity has no upper bound filter, but lists oldest change first: stop at the first order past `until`.
    const untilMs = input.until === undefined ? Number.POSITIVE_INFINITY : Date.parse(input.until);
    const inWindow = page.items.filter((order) => Date.parse(order.updatedAt) <= untilMs);
    return {
      storefront: 'clarity',
      orderIds: inWindow.map((order) => order.orderId),
      ...(inWindow.length === page.items.length && page.nextCursor !== undefined && { nextCursor: page.nextCursor }),
      ...newest(inWindow.map((order) => order.updatedAt)),
    };
  }

  /**
   * The refunds the storefront made in the window, one page per call, when the tenant processes
   * returns. BigCommerce: V3 `GET /orders/payment_actions/refunds` by `created:min`/`created:max`
   * (a refund is never changed after it is made). Clarity: returns by `updatedSince` with status
   * `refunded`, the only ones with money to credit (a return refunded later is updated then, so a
   * later window finds it), stopping at the first one past `until` as for orders.
   */
  async function listChangedRefunds(input: ListChangedOrdersInput): Promise<ListChangedRefundsResult> {
    const connection = await deps.connections.forTenant(input.tenantId);
    const kind = connection.settings.connection.storefront.kind;
    if (!connection.settings.returns.enabled) return { storefront: kind, refunds: [], enabled: false };
    const storefront = await connection.storefront();
    if (storefront.kind === 'bigcommerce') {
      const page = input.cursor === undefined ? 1 : Number(input.cursor);
      const { data, pagination } = await storefront.client.payments.listRefunds({
        createdMin: new Date(input.since).toISOString(),
        ...(input.until !== undefined && { createdMax: new Date(input.until).toISOString() }),
        page,
        limit: bigCommercePageSize,
      });
      const more = pagination === undefined ? data.length === bigCommercePageSize : pagination.current_page < pagination.total_pages;
      return {
        storefront: 'bigcommerce',
        refunds: data.map((refund) => ({ refundId: String(refund.id), orderId: String(refund.order_id) })),
        ...(more && { nextCursor: String(page + 1) }),
        enabled: true,
      };
    }
    const page = await storefront.client.listReturns({
      updatedSince: new Date(input.since).toISOString(),
      status: 'refunded',
      limit: clarityPageSize,
      ...(input.cursor !== undefined && { cursor: input.cursor }),
    });
    const untilMs = input.until === undefined ? Number.POSITIVE_INFINITY : Date.parse(input.until);
    const inWindow = page.items.filter((record) => Date.parse(record.updatedAt) <= untilMs);
    return {
      storefront: 'clarity',
      refunds: inWindow.map((record) => ({ refundId: record.returnId, orderId: record.orderId })),
      ...(inWindow.length === page.items.length && page.nextCursor !== undefined && { nextCursor: page.nextCursor }),
      enabled: true,
    };
  }

  /**
   * Starts OrderToCash for each order. The conflict policy is FAIL, not USE_EXISTING: the SDK
   * does not say whether a USE_EXISTING start found a running workflow, and "already started"
   * is the same no-op with a name. A closed workflow is started again (the default reuse
   * policy); OrderToCash then finds the order in the sync ledger and finishes without writing.
   * Progress is heartbeated, so a retry after a lost worker resumes where it stopped.
   */
  async function startOrderToCash(input: StartOrderToCashInput): Promise<StartOrderToCashResult> {
    return startEach('OrderToCash', input.tenantId, input.orderIds, (orderId) => {
      const workflowInput: OrderToCashInput = { tenantId: input.tenantId, storefront: input.storefront, orderId, trigger: input.trigger };
      return {
        workflowType: orderToCashWorkflowType,
        workflowId: orderToCashWorkflowId(input.tenantId, orderId),
        input: workflowInput,
        searchAttributes: orderToCashSearchAttributes(workflowInput),
      };
    });
  }

  /**
   * Starts ReturnToCreditMemo for each refund, as {@link startOrderToCash} does for orders: FAIL
   * on a running one (counted, left alone); a finished one is started again and, finding its
   * credit memo in the sync ledger, ends without writing.
   */
  async function startReturnToCreditMemo(input: StartReturnToCreditMemoInput): Promise<StartOrderToCashResult> {
    return startEach('ReturnToCreditMemo', input.tenantId, input.refunds, (refund) => {
      const workflowInput: ReturnToCreditMemoInput = {
        tenantId: input.tenantId,
        storefront: input.storefront,
        orderId: refund.orderId,
        refundId: refund.refundId,
        trigger: input.trigger,
      };
      return {
        workflowType: returnToCreditMemoWorkflowType,
        workflowId: returnToCreditMemoWorkflowId(input.tenantId, refund.refundId),
        input: workflowInput,
        searchAttributes: returnToCreditMemoSearchAttributes(workflowInput),
      };
    });
  }

  /** Starts one workflow per entry, a few at a time, heartbeating progress so a retry resumes after the last batch. */
  async function startEach<T>(
    what: string,
    tenantId: string,
    entries: readonly T[],
    describe: (entry: T) => {
      workflowType: string;
      workflowId: string;
      input: unknown;
      searchAttributes: ReturnType<typeof orderToCashSearchAttributes>;
    },
  ): Promise<StartOrderToCashResult> {
    const temporal = deps.temporal;
    if (temporal === undefined) {
      throw flowFailure(
        orderSweepFailures,
        'TemporalClientMissing',
        `the worker was built without a Temporal client (ActivityDependencies.temporal), so it cannot start ${what}`,
      );
    }
    const resumed = activityInfo().heartbeatDetails as (StartOrderToCashResult & { done: number }) | undefined;
    const progress = { done: resumed?.done ?? 0, started: resumed?.started ?? 0, alreadyRunning: resumed?.alreadyRunning ?? 0 };
    while (progress.done < entries.length) {
      const batch = entries.slice(progress.done, progress.done + startConcurrency);
      const outcomes = await Promise.all(
        batch.map(async (entry) => {
          const start = describe(entry);
          try {
            await temporal.client.workflow.start(start.workflowType, {
              workflowId: start.workflowId,
              taskQueue: temporal.taskQueue,
              args: [start.input],
              workflowIdConflictPolicy: 'FAIL',
              typedSearchAttributes: start.searchAttributes,
              // Found by a sweep or a backfill: behind the tenants' live work, and fair among tenants.
              priority: tenantPriority(tenantId, 'bulk'),
            });
            return 'started' as const;
          } catch (error) {
            if (error instanceof WorkflowExecutionAlreadyStartedError) return 'alreadyRunning' as const;
            throw error;
          }
        }),
      );
      progress.done += batch.length;
      for (const outcome of outcomes) progress[outcome] += 1;
      heartbeat(progress);
    }
    return { started: progress.started, alreadyRunning: progress.alreadyRunning };
  }

  async function readSweepCursor(input: { tenantId: string }): Promise<SweepCursorState> {
    const connection = await deps.connections.forTenant(input.tenantId);
    const cursor = await loadSweepCursor(deps.db, input.tenantId);
    return {
      ...(cursor && { lastSweptUntil: cursor.lastSweptUntil.toISOString() }),
      lookbackMinutes: connection.settings.orderSync.sweep.lookbackMinutes,
    };
  }

  async function saveSweepCursor(input: { tenantId: string; lastSweptUntil: string }): Promise<{ lastSweptUntil: string }> {
    const saved = await storeSweepCursor(deps.db, input.tenantId, new Date(input.lastSweptUntil));
    return { lastSweptUntil: saved.lastSweptUntil.toISOString() };
  }

  return {
    listChangedOrders: withConnectorFailures(listChangedOrders),
    startOrderToCash: withConnectorFailures(startOrderToCash),
    listChangedRefunds: withConnectorFailures(listChangedRefunds),
    startReturnToCreditMemo: withConnectorFailures(startReturnToCreditMemo),
    readSweepCursor: withConnectorFailures(readSweepCursor),
    saveSweepCursor: withConnectorFailures(saveSweepCursor),
  } satisfies OrderDiscoveryActivities;
}

const weekdays = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * An instant as BigCommerce V2's RFC 2822 date filter (`Tue, 05 Mar 2019 21:40:11 +0000`).
 * The format has whole seconds: a lower bound rounds down and an upper bound up, so the window
 * only ever widens.
 */
export function toRfc2822(iso: string, round: 'down' | 'up'): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw flowFailure(orderSweepFailures, 'InvalidDate', `not an ISO 8601 instant: ${JSON.stringify(iso)}`);
  const date = new Date(round === 'down' ? Math.floor(ms / 1000) * 1000 : Math.ceil(ms / 1000) * 1000);
  const two = (value: number) => String(value).padStart(2, '0');
  return `${weekdays[date.getUTCDay()]}, ${two(date.getUTCDate())} ${months[date.getUTCMonth()]} ${date.getUTCFullYear()} ${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())} +0000`;
}

function newest(times: Array<string | undefined>): { newestModifiedAt?: string } {
  const known = times.filter((time): time is string => time !== undefined).map((time) => Date.parse(time));
  return known.length === 0 ? {} : { newestModifiedAt: new Date(Math.max(...known)).toISOString() };
}
