import { buildDailySummary, dailySummaryAlert, dailySummaryHeadline } from '../decisions/daily-summary.js';
import { businessDateOf } from '../mappers/to-intacct-sales-document.js';
import { raiseAlert } from '../store/alert-outbox.js';
import { countAttention } from '../store/attention.js';
import { listLedgerRecorded } from '../store/ledger.js';
import { listPayoutPostings } from '../store/payout-postings.js';
import { readSettings } from '../store/settings.js';
import type { DailySummaryActivities, DailySummaryResult } from '../workflows/daily-summary-contract.js';
import type { ActivityDependencies } from './dependencies.js';
import { checkUnpaidOutPayments } from './unpaid-out-attention.js';

/** Time zones are at most 14 hours from UTC: entries this far beyond a day's UTC edges are read, then placed by their local day. */
const zoneMarginMs = 15 * 3_600_000;
const dayMs = 86_400_000;

/** The calendar day before `day` (YYYY-MM-DD). */
function dayBefore(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) - dayMs).toISOString().slice(0, 10);
}

/**
 * DailySummary's activity: first the daily check of payments paid but in no payout after the
 * tenant's days (their attention items opened or resolved), then reads the day's orders (ledger),
 * payouts (PayoutReconcile's outcomes) and the open attention items, sums them up with the pure
 * builder and raises the summary's alert; the alert sender delivers it to the channels taking
 * `daily_summary`. All in the one activity, so the workflow's commands are unchanged.
 */
export function createDailySummaryActivities(deps: Pick<ActivityDependencies, 'db' | 'attentionEvents'>) {
  return {
    async sendDailySummary(input: { tenantId: string; day?: string; nowMs: number }): Promise<DailySummaryResult> {
      const { tenantId } = input;
      const stored = await readSettings(deps.db, tenantId);
      if (stored === null) throw new Error(`tenant ${tenantId} has no settings: there is no day to sum up`);
      const timeZone = stored.settings.timezone;
      const day = input.day ?? dayBefore(businessDateOf(new Date(input.nowMs).toISOString(), timeZone));
      const dayStart = Date.parse(`${day}T00:00:00Z`);
      const orders = await listLedgerRecorded(deps.db, tenantId, 'order', {
        from: new Date(dayStart - zoneMarginMs),
        before: new Date(dayStart + dayMs + zoneMarginMs),
      });
      // Before the attention count: the payments found waiting today are among the open items.
      const unpaidOut = await checkUnpaidOutPayments(deps, { tenantId, settings: stored.settings, asOf: day });
      const summary = buildDailySummary({
        tenantId,
        day,
        timeZone,
        orderStates: orders.filter((entry) => businessDateOf(entry.createdAt.toISOString(), timeZone) === day).map((entry) => entry.state),
        payouts: await listPayoutPostings(deps.db, tenantId, { from: day, to: day }),
        openAttention: await countAttention(deps.db, tenantId, { state: 'open' }),
        unpaidOut,
      });
      const alertRaised = await raiseAlert(deps.db, dailySummaryAlert(tenantId, summary));
      return { tenantId, day, headline: dailySummaryHeadline(summary), alertRaised };
    },
  } satisfies DailySummaryActivities;
}
