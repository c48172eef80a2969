// Tenant settings, `anomalyChecks`: what each check before posting does when it fires.
// Part of the schema in ./settings.ts, which is the module to import settings from.
import { z } from 'zod';
import { anomalyCheckNames, type AnomalyCheckName } from '../../decisions/order-anomalies.js';

const policy = z
  .enum(['off', 'flag', 'hold'], { error: 'a check is off, flag (post and note it) or hold (wait for approval)' })
  .default('off');

/**
 * Anomaly checks before an order posts, learned from the tenant's own posted orders
 * (decisions/order-anomalies.ts). Every check is off until the tenant turns it on: `flag` posts
 * the order and writes an informational attention item, `hold` keeps the order from posting
 * until an operator approves it. No check is active before the tenant has `minimumHistory`
 * posted orders, so a new tenant's first orders are not all "unusual".
 */
export const anomalyChecksSchema = z.strictObject({
  /** Posted orders needed before any check is active. */
  minimumHistory: z
    .number({ error: 'minimumHistory must be a number' })
    .int('minimumHistory must be a whole number of orders')
    .min(1, 'minimumHistory must be at least 1')
    .max(100_000, 'minimumHistory must be at most 100000')
    .default(30),
  /** Per check: off, flag or hold. */
  policies: z
    .strictObject(Object.fromEntries(anomalyCheckNames.map((name) => [name, policy])) as Record<AnomalyCheckName, typeof policy>)
    .prefault({}),
});

export type AnomalyCheckSettings = z.output<typeof anomalyChecksSchema>;
