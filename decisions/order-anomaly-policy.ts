import type { AttentionNotice } from '../workflows/shared-contract.js';
import type { OrderWithoutContacts } from '../mappers/order-views.js';
import type { AnomalyCheckSettings } from '../store/schemas/settings-anomaly-checks.js';
import {
  anomalyCheckNames,
  decideAnomalyAction,
  findOrderAnomalies,
  type AnomalyFinding,
  type AnomalyProfile,
  type OrderForAnomalyCheck,
} from './order-anomalies.js';

/**
 * What the tenant's anomaly policies make of one order before it posts: the checks of
 * `order-anomalies.ts` against the tenant's history, then each fired check's policy. Pure.
 */

/** Attention codes of the two outcomes that reach a person. */
export const anomalyAttentionCodes = { hold: 'anomaly_hold', flag: 'anomaly_flagged' } as const;

/** What happens to the order: it posts (perhaps with a note for people), or waits for an operator's approval. */
export type AnomalyOutcome =
  { action: 'post' } | { action: 'flag'; attention: AttentionNotice } | { action: 'hold'; attention: AttentionNotice };

/** True when any check is on: a tenant with every check off pays nothing for them. */
export function anomalyChecksOn(settings: AnomalyCheckSettings): boolean {
  return anomalyCheckNames.some((name) => settings.policies[name] !== 'off');
}

/**
 * The order as the checks read it. `customerKey` is what identifies the buyer across orders (the
 * caller derives it, e.g. a hash of the email, so no address is kept for the checks).
 */
export function anomalyFiguresOf(order: OrderWithoutContacts, customerKey: string | undefined): OrderForAnomalyCheck {
  return {
    orderId: order.orderId,
    placedAt: order.placedAt,
    currency: order.currency,
    total: order.total,
    ...(customerKey !== undefined && { customerKey }),
    billingCountry: order.billingAddress.country,
    ...(order.shippingAddress !== undefined && { shippingCountry: order.shippingAddress.country }),
    lines: order.lines.map((line) => ({ sku: line.sku, unitPrice: line.unitPrice, quantity: line.quantity })),
  };
}

const inWords = (findings: readonly AnomalyFinding[]) => findings.map((finding) => finding.reason).join('; ');
const asDetails = (findings: readonly AnomalyFinding[], historyOrders: number) => ({
  historyOrders,
  findings: findings.map(({ check, reason, figures }) => ({ check, reason, figures: { ...figures } })),
});

/**
 * The outcome for `order` against the tenant's `profile` (summarised from `profile.orders`
 * posted orders). No check is active before the tenant's minimum history; item checks also
 * need that many lines of the item, at most 10.
 */
export function decideOrderAnomalyOutcome(
  order: OrderForAnomalyCheck,
  profile: AnomalyProfile,
  settings: AnomalyCheckSettings,
): AnomalyOutcome {
  if (!anomalyChecksOn(settings) || profile.orders < settings.minimumHistory) return { action: 'post' };
  const findings = findOrderAnomalies(order, profile, {
    minimumHistory: settings.minimumHistory,
    minimumItemHistory: Math.min(10, settings.minimumHistory),
  });
  const decision = decideAnomalyAction(findings, settings.policies);
  if (decision.action === 'post') return decision;
  const details = asDetails(decision.findings, profile.orders);
  if (decision.action === 'hold')
    return {
      action: 'hold',
      attention: {
        code: anomalyAttentionCodes.hold,
        reason: `held before posting: ${inWords(decision.findings)}`,
        fix: 'look at the order and its figures; approve it to post it as it is, or cancel it',
        details,
      },
    };
  return {
    action: 'flag',
    attention: {
      code: anomalyAttentionCodes.flag,
      reason: `posted, but unusual: ${inWords(decision.findings)}`,
      fix: 'nothing is waiting: look at the order in Intacct and the storefront, then resolve this item',
      details,
    },
  };
}
