import { findOrderAnomalies, profileOrderHistory, type AnomalyCheckName } from '../../decisions/order-anomalies.js';
import { generateOrderHistory } from './anomaly-history.js';
import { round } from './stats.js';

/** Which check should catch each kind of injected error. */
const expectedCheck: Record<string, AnomalyCheckName[]> = {
  priceEntry: ['linePriceOutlier'],
  quantityEntry: ['quantityOutlier'],
  velocity: ['emailVelocity'],
};

/**
 * Issue 21's anomaly figures on a generated history: false-positive rate (normal orders with any
 * finding, every check on) and recall per injected error (orders whose expected check fired).
 */
export function runAnomalyBench(
  options: { historyOrders?: number; normalOrders?: number; injectedEach?: number } = {},
): Record<string, unknown> {
  const { history, probes } = generateOrderHistory({
    historyOrders: options.historyOrders ?? 3_000,
    normalOrders: options.normalOrders ?? 2_000,
    injectedEach: options.injectedEach ?? 200,
  });
  const profile = profileOrderHistory(history);
  const normal = { orders: 0, flagged: 0, byCheck: {} as Record<string, number> };
  const injected: Record<string, { orders: number; caught: number }> = {};
  for (const probe of probes) {
    const findings = findOrderAnomalies(probe.order, profile);
    if (probe.injected === undefined) {
      normal.orders += 1;
      if (findings.length > 0) normal.flagged += 1;
      for (const finding of findings) normal.byCheck[finding.check] = (normal.byCheck[finding.check] ?? 0) + 1;
      continue;
    }
    const tally = (injected[probe.injected] ??= { orders: 0, caught: 0 });
    tally.orders += 1;
    if (findings.some((finding) => expectedCheck[probe.injected!]!.includes(finding.check))) tally.caught += 1;
  }
  return {
    falsePositiveRate: round(normal.flagged / normal.orders, 4),
    falsePositivesByCheck: normal.byCheck,
    recall: Object.fromEntries(Object.entries(injected).map(([kind, tally]) => [kind, round(tally.caught / tally.orders, 3)])),
    history: {
      orders: history.length,
      normalProbes: normal.orders,
      injected: Object.fromEntries(Object.entries(injected).map(([kind, tally]) => [kind, tally.orders])),
    },
    how: 'test/bench/anomaly-history.ts (seed 7): profile from the history, then every probe checked with all checks on at the default options (30 orders minimum, robust log-scale z > 4). falsePositiveRate = normal probes with any finding ÷ normal probes; recall = injected probes whose matching check fired ÷ injected probes of that kind',
  };
}
