import { createHash } from 'node:crypto';
import { profileOrderHistory } from '../decisions/order-anomalies.js';
import { anomalyFiguresOf, decideOrderAnomalyOutcome } from '../decisions/order-anomaly-policy.js';
import type { CanonicalOrder } from '../mappers/canonical-order.js';
import type { OrderWithoutContacts } from '../mappers/order-views.js';
import { listPostedOrderFigures, recordLedgerEntry } from '../store/ledger.js';
import type { CheckOrderAnomaliesInput, OrderAnomalyCheck } from '../workflows/order-anomaly-contract.js';
import { openAttention } from './attention-events.js';
import type { ActivityDependencies } from './dependencies.js';

/** The posted orders the history is learned from: the most recent ones, enough for stable medians per item. */
const historyOrders = 2_000;

/**
 * The buyer across orders without keeping who it is: a hash of the email (or the storefront's
 * customer id), salted with the tenant so keys do not match across tenants.
 */
function customerKeyOf(tenantId: string, { order, buyerEmail }: CheckOrderAnomaliesInput): string | undefined {
  const email = buyerEmail ?? emailInWholeOrder(order);
  const identity =
    email !== undefined
      ? `email:${email.trim().toLowerCase()}`
      : order.customer.kind === 'registered'
        ? `id:${order.customer.customerId}`
        : undefined;
  return identity === undefined ? undefined : createHash('sha256').update(`${tenantId}\n${identity}`).digest('hex').slice(0, 32);
}

/** An input recorded before the buyer's email travelled apart held the whole order, and the email in it. */
function emailInWholeOrder(order: OrderWithoutContacts | CanonicalOrder): string | undefined {
  return (
    ('email' in order.customer ? order.customer.email : undefined) ??
    ('email' in order.billingAddress ? order.billingAddress.email : undefined)
  );
}

/** The anomaly checks before an order posts: the tenant's history from the ledger, the policies from its settings. */
export function createOrderAnomalyActivities(deps: ActivityDependencies) {
  return {
    async checkOrderAnomalies(input: CheckOrderAnomaliesInput): Promise<OrderAnomalyCheck> {
      const { tenantId, orderId } = input;
      const { settings } = await deps.connections.forTenant(tenantId);
      const figures = anomalyFiguresOf(input.order, customerKeyOf(tenantId, input));
      // The order itself is left out of its own history: a retried run finds it posted already only when it has no document to check.
      const history = (await listPostedOrderFigures(deps.db, tenantId, historyOrders)).filter((posted) => posted.orderId !== orderId);
      const outcome = decideOrderAnomalyOutcome(figures, profileOrderHistory(history), settings.anomalyChecks);
      await recordLedgerEntry(deps.db, { tenantId, entity: 'order', externalId: orderId }, { anomalyFigures: figures });
      if (outcome.action === 'hold') return outcome;
      if (outcome.action === 'flag') {
        const { code, reason, fix, details } = outcome.attention;
        await openAttention(deps, {
          tenantId,
          entity: 'order',
          externalId: orderId,
          code,
          reason,
          fix,
          workflowId: input.workflowId,
          ...(details !== undefined && { details }),
        });
      }
      return { action: 'post', flagged: outcome.action === 'flag' };
    },
  };
}
