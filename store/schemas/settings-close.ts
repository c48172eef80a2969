// Tenant settings, `close`: financial close per payment gateway (issue 18): where order payments wait
// (the gateway's clearing account), the bank a payout lands in, and the GL accounts of what the
// processor keeps back. Part of the schema in ./settings.ts, which is the module to import settings from.
import { z } from 'zod';
import { checkCronExpression } from './cron.js';
import { identifier, oneOf } from './fields.js';

/** Days a recorded payment may wait for a payout before the report lists it (`close.unpaidOutAfterDays`'s default). */
export const defaultUnpaidOutAfterDays = 7;

/** GL accounts for the payout lines that are not order payments. Every one is checked against Intacct by the connection test. */
const payoutGlAccountsSchema = z.strictObject({
  /** Processing fees the processor took (each line's fee, and standalone fee lines). */
  fees: identifier('fees'),
  /** Refunds paid back to buyers out of the processor balance. */
  refunds: identifier('refunds'),
  /** Chargebacks (disputes lost, and disputes opened: the amount withdrawn), and their reversals when a dispute is won. */
  chargebacks: identifier('chargebacks'),
  /** Fees the processor charges per dispute; absent: they go to {@link fees}. */
  disputeFees: identifier('disputeFees').optional(),
  /** Amounts the processor holds back or releases (rolling reserves). */
  reserves: identifier('reserves'),
  /** Anything else the processor moved (corrections, balance transfers). */
  adjustments: identifier('adjustments'),
});

/** The tenant's dimensions on every journal entry line and the deposit of a payout. */
const closeDimensionsSchema = z.strictObject({
  locationId: identifier('locationId').optional(),
  departmentId: identifier('departmentId').optional(),
  classId: identifier('classId').optional(),
  projectId: identifier('projectId').optional(),
});

/** How long a payout waits for the postings its lines name when the settings do not say: a day. */
export const defaultAwaitPostingsHours = 24;

/** One payment gateway's close settings. */
export const gatewayCloseSchema = z.strictObject({
  /** The storefront's gateway name as its transactions carry it (BigCommerce `gateway`: stripe, paypalexpress, braintree…). */
  gateway: identifier('gateway').transform((name) => name.toLowerCase()),
  /**
   * Where the gateway's order payments wait until a payout moves them to the bank: the company's
   * undeposited-funds account, or a clearing account of this gateway alone (then its balance is
   * the processor's balance). Either way the GL account number.
   */
  clearing: z.strictObject({
    kind: oneOf('kind', ['undepositedFunds', 'gatewayClearing']).default('gatewayClearing'),
    glAccountNo: identifier('glAccountNo'),
  }),
  /** The Intacct bank (checking) account id payouts are deposited to. */
  bankAccountId: identifier('bankAccountId'),
  glAccounts: payoutGlAccountsSchema,
  /** The journal the payout's journal entry is posted in. */
  journal: identifier('journal').default('GJ'),
  dimensions: closeDimensionsSchema.prefault({}),
  /** `perPayout`: one deposit and one journal entry per payout. `dailySummary`: the day's payouts of the gateway as one of each. */
  postingMode: oneOf('postingMode', ['perPayout', 'dailySummary']).default('perPayout'),
  /** The date the deposit and journal entry carry: when the money arrives at the bank, or when the processor created the payout. */
  postingDate: oneOf('postingDate', ['arrival', 'created']).default('arrival'),
});

export const closeSchema = z
  .strictObject({
    /** One entry per gateway whose payouts are posted; a gateway without one keeps paying into the order sync's payment accounts. */
    gateways: z.array(gatewayCloseSchema).default(() => []),
    /**
     * How long a payout whose lines name payments (or refunds) the product has not recorded yet
     * waits for them before it parks: the order's posting may still be under way when the payout
     * arrives. Hours (a fraction for minutes: 0.05 is 3); 0 parks at once. Absent: {@link defaultAwaitPostingsHours}.
     */
    awaitPostingsHours: z
      .number({ error: 'awaitPostingsHours must be a number of hours' })
      .min(0, 'awaitPostingsHours cannot be negative')
      .max(336, 'awaitPostingsHours is at most 336 (14 days)')
      .optional(),
    /**
     * After how many days a payment whose receipt is recorded but that no payout has included is
     * an exception in the reconciliation report. Card processors pay out in 2 to 7 days; 7 leaves
     * room for weekends and holidays.
     */
    unpaidOutAfterDays: z
      .number({ error: 'unpaidOutAfterDays must be a number' })
      .int('unpaidOutAfterDays must be whole days')
      .min(1, 'unpaidOutAfterDays must be at least 1')
      .max(90, 'unpaidOutAfterDays must be at most 90')
      .default(defaultUnpaidOutAfterDays),
    /**
     * When the month just ended is reconciled (PeriodReconcile), as a cron in the tenant's time
     * zone. Absent: 06:00 on the 3rd, after the last payouts of the month have arrived.
     */
    reconcileSchedule: z
      .string({ error: 'reconcileSchedule must be text' })
      .superRefine((expression, context) => {
        const check = checkCronExpression(expression);
        if (!check.ok) context.addIssue({ code: 'custom', message: check.message });
      })
      .optional(),
  })
  .superRefine((close, context) => {
    const seen = new Set<string>();
    for (const [index, entry] of close.gateways.entries()) {
      if (seen.has(entry.gateway))
        context.addIssue({ code: 'custom', path: ['gateways', index, 'gateway'], message: `gateway "${entry.gateway}" is listed twice` });
      seen.add(entry.gateway);
    }
  });

/** One gateway's close settings (`close.gateways[]`), every default applied. */
export type GatewayCloseSettings = z.output<typeof gatewayCloseSchema>;

/** The close settings of a gateway (matched without regard to case), or undefined when the gateway has none. */
export function gatewayCloseSettings(
  close: { readonly gateways: readonly GatewayCloseSettings[] } | undefined,
  gateway: string | undefined,
): GatewayCloseSettings | undefined {
  if (close === undefined || gateway === undefined) return undefined;
  const name = gateway.trim().toLowerCase();
  return close.gateways.find((entry) => entry.gateway === name);
}

/** Every GL account and bank account id the gateways' settings name, for the connection test. */
export function closeAccountsToCheck(close: { readonly gateways: readonly GatewayCloseSettings[] } | undefined): {
  glAccounts: string[];
  bankAccounts: string[];
} {
  const glAccounts = new Set<string>();
  const bankAccounts = new Set<string>();
  for (const entry of close?.gateways ?? []) {
    glAccounts.add(entry.clearing.glAccountNo);
    for (const account of Object.values(entry.glAccounts)) if (account !== undefined) glAccounts.add(account);
    bankAccounts.add(entry.bankAccountId);
  }
  return { glAccounts: [...glAccounts].sort(), bankAccounts: [...bankAccounts].sort() };
}
