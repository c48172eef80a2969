import type { StatusMappingRow } from '../store/schemas/mapping-tables.js';
import type { TenantSettings } from '../store/schemas/settings.js';
import { canonicalOrderAmounts } from '../mappers/canonical-order.js';
import type { OrderWithoutContacts } from '../mappers/order-views.js';
import { checkOrderBalance, formatAmount } from '../mappers/money.js';
import { decideOrderGate } from './order-gate.js';
import type { OrderCheck } from '../workflows/order-to-cash-contract.js';

/**
 * The gate decides whether the order's status syncs; an order that would sync must also
 * balance to the minor unit (lines + shipping + handling + tax − discounts = total). An order
 * that does not is parked with the difference, never "fixed": the storefront and Intacct
 * would disagree at month end.
 */
export function checkOrder(
  order: OrderWithoutContacts,
  orderSync: Pick<TenantSettings['orderSync'], 'triggerStatuses' | 'cancelStatuses' | 'otherStatusAction' | 'guestOrders'>,
  statusRows: readonly StatusMappingRow[] = [],
): OrderCheck {
  const gate = decideOrderGate(order, orderSync, statusRows);
  if (gate.action !== 'sync') return gate;
  const balance = checkOrderBalance(canonicalOrderAmounts(order));
  if (balance.balanced) return { action: 'sync' };
  const amount = (minor: number) => formatAmount(minor, order.currency);
  return {
    action: 'park',
    attention: {
      code: 'totals_do_not_balance',
      reason: `the order's lines, shipping, handling, tax and discounts come to ${amount(balance.computedTotal)} ${order.currency}, but its total is ${amount(order.total)}: ${amount(balance.difference)} apart`,
      fix: 'correct the order in the storefront (its update retries the sync), or retry once the storefront reports consistent amounts',
      details: {
        computedTotal: amount(balance.computedTotal),
        total: amount(order.total),
        difference: amount(balance.difference),
        currency: order.currency,
      },
    },
  };
}
