import type { StatusMappingRow } from '../store/schemas/mapping-tables.js';
import type { TenantSettings } from '../store/schemas/settings.js';
import type { CanonicalOrder } from '../mappers/canonical-order.js';

/** What OrderToCash does with an order in its current state. */
export type OrderGateDecision =
  | { action: 'sync' }
  | { action: 'wait'; reason: string }
  | { action: 'cancel'; reason: string }
  | { action: 'skip'; reason: string; code: 'status_ignored' | 'guest_orders_off' | 'no_lines' };

/**
 * Decides from the tenant's settings whether an order syncs now, waits for a later status,
 * is a cancellation, or is skipped. The `statuses` mapping table overrides the trigger and
 * cancel lists, which override `otherStatusAction`.
 */
export function decideOrderGate(
  order: Pick<CanonicalOrder, 'status' | 'customer' | 'lines'>,
  orderSync: Pick<TenantSettings['orderSync'], 'triggerStatuses' | 'cancelStatuses' | 'otherStatusAction' | 'guestOrders'>,
  statusRows: readonly StatusMappingRow[] = [],
): OrderGateDecision {
  const mapped = statusRows.find((row) => row.storefrontStatus === order.status)?.action;
  const statusAction =
    mapped ??
    (orderSync.triggerStatuses.includes(order.status)
      ? 'sync'
      : orderSync.cancelStatuses.includes(order.status)
        ? 'cancel'
        : orderSync.otherStatusAction);

  switch (statusAction) {
    case 'cancel':
      return { action: 'cancel', reason: `status ${order.status} cancels the order` };
    case 'wait':
      return { action: 'wait', reason: `status ${order.status} is not a status that syncs yet` };
    case 'ignore':
      return { action: 'skip', code: 'status_ignored', reason: `status ${order.status} is ignored by the tenant's settings` };
    case 'sync':
      break;
  }
  if (order.customer.kind === 'guest' && !orderSync.guestOrders.enabled) {
    return {
      action: 'skip',
      code: 'guest_orders_off',
      reason: 'guest orders are not synced (settings: orderSync.guestOrders.enabled is off)',
    };
  }
  if (order.lines.length === 0) return { action: 'skip', code: 'no_lines', reason: 'the order has no lines' };
  return { action: 'sync' };
}
