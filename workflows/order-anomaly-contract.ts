import type { OrderWithoutContacts } from '../mappers/order-views.js';
import type { AttentionNotice, OrderRef } from './shared-contract.js';

/**
 * OrderToCash's anomaly checks before posting (issue 21): one activity, asked only when the
 * tenant has a check on (`OrderSyncPlan.anomalyChecks`).
 */

export interface CheckOrderAnomaliesInput extends OrderRef {
  workflowId: string;
  /** The order without contact data: its amounts, lines and countries are what the checks read. */
  order: OrderWithoutContacts;
  /**
   * The buyer's email, what tells one buyer's orders from another's (the activity keeps only a
   * hash of it, salted with the tenant); absent for a buyer without one. Inputs recorded before it travelled apart
   * held it in the whole order.
   */
  buyerEmail?: string;
}

/**
 * What the checks make of the order: it posts (a flagged order's informational attention item
 * is written already), or it is held until an operator approves it, `attention` saying why
 * with the figures in `details`.
 */
export type OrderAnomalyCheck = { action: 'post'; flagged: boolean } | { action: 'hold'; attention: AttentionNotice };

export interface OrderAnomalyActivities {
  /**
   * Checks the order against the tenant's posted orders by the tenant's policies, records the
   * order's figures in the ledger (they join the history once it posts) and writes a flagged
   * order's informational attention item.
   */
  checkOrderAnomalies(input: CheckOrderAnomaliesInput): Promise<OrderAnomalyCheck>;
}
