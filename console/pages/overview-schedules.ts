import { describeSweepSchedule } from '../../api/admin/backfill-routes.js';
import { describeInventorySchedule } from '../../api/admin/inventory-schedule-routes.js';
import { describeSchedule } from '../../api/admin/temporal-access.js';
import { HttpError } from '../../api/errors.js';
import type { Tenant } from '../../store/tenants.js';
import { catalogSyncScheduleId } from '../../workflows/catalog-sync-contract.js';
import { clarityCustomerPollScheduleId, customerSyncPollScheduleId } from '../../workflows/customer-sync-contract.js';
import { dailySummaryScheduleId } from '../../workflows/daily-summary-contract.js';
import { periodReconcileScheduleId } from '../../workflows/period-reconcile-contract.js';
import { priceListSyncWorkflowId } from '../../workflows/price-list-sync-contract.js';
import type { ConsoleDependencies } from '../dependencies.js';
import { formatTime, html, type SafeHtml } from '../templates.js';

interface ScheduleRow {
  name: string;
  state: string;
  lastRun?: string | undefined;
  nextRun?: string | undefined;
}

const time = (iso: string | undefined): string | undefined => (iso === undefined ? undefined : formatTime(new Date(iso)));

/** A schedule that cannot be read is a row that says why, not a failed page. */
async function row(name: string, read: () => Promise<Omit<ScheduleRow, 'name'>>): Promise<ScheduleRow> {
  try {
    return { name, ...(await read()) };
  } catch (error) {
    if (error instanceof HttpError && error.status === 404) return { name, state: 'not scheduled' };
    if (error instanceof HttpError && error.status === 503) return { name, state: 'unknown (Temporal did not answer)' };
    throw error;
  }
}

/** A schedule read as Temporal describes it: paused with its note (why), or running, its latest and next start. */
async function describedRow(deps: ConsoleDependencies, scheduleId: string, what: string): Promise<Omit<ScheduleRow, 'name'>> {
  const description = await describeSchedule(deps, scheduleId, what);
  const latest = description.info.recentActions.at(-1)?.takenAt;
  const next = description.info.nextActionTimes[0];
  return {
    state: description.state.paused ? description.state.note || 'paused' : 'active',
    lastRun: latest && formatTime(latest),
    nextRun: description.state.paused ? undefined : next && formatTime(next),
  };
}

/**
 * The overview's schedules card: every per-tenant schedule. The safety-net sweep and inventory
 * reconciliation are read with the admin API's own functions (the sweep's "last run" is how far
 * it has swept; the reconciliation's is the latest run it started); the month-end
 * reconciliation, item, price list and customer syncs, the Clarity customer poll and the daily
 * summary as Temporal describes them, their notes saying why the settings pause them.
 */
export async function schedulesCard(deps: ConsoleDependencies, tenant: Pick<Tenant, '_id'>): Promise<SafeHtml> {
  const rows = await Promise.all([
    row('Order sweep', async () => {
      const sweep = await describeSweepSchedule(deps, tenant);
      return {
        state: sweep.paused ? `paused${sweep.note ? `: ${sweep.note}` : ''}` : `every ${sweep.everyMinutes} min`,
        lastRun: sweep.lastSweptUntil && `swept until ${time(sweep.lastSweptUntil)}`,
        nextRun: time(sweep.nextRunAt),
      };
    }),
    row('Inventory reconciliation', async () => {
      const schedule = await describeInventorySchedule(deps, tenant);
      return {
        state: schedule.paused
          ? `paused by ${schedule.pausedBy ?? 'operator'}${schedule.note ? `: ${schedule.note}` : ''}`
          : (schedule.cron ?? 'active'),
        lastRun: time(schedule.recentRuns[0]?.startedAt),
        nextRun: time(schedule.nextRunsAt[0]),
      };
    }),
    row('Month-end reconciliation', () =>
      describedRow(deps, periodReconcileScheduleId(tenant._id), `month-end reconciliation schedule of ${tenant._id}`),
    ),
    row('Item sync', () => describedRow(deps, catalogSyncScheduleId(tenant._id), `item sync schedule of ${tenant._id}`)),
    row('Price list sync', () => describedRow(deps, priceListSyncWorkflowId(tenant._id), `price list sync schedule of ${tenant._id}`)),
    row('Customer sync', () => describedRow(deps, customerSyncPollScheduleId(tenant._id), `customer sync schedule of ${tenant._id}`)),
    row('Clarity customer poll', () =>
      describedRow(deps, clarityCustomerPollScheduleId(tenant._id), `Clarity customer poll schedule of ${tenant._id}`),
    ),
    row('Daily summary', () => describedRow(deps, dailySummaryScheduleId(tenant._id), `daily summary schedule of ${tenant._id}`)),
  ]);
  return html`<section class="card wide" aria-labelledby="schedules-heading">
    <h2 id="schedules-heading">Schedules</h2>
    <table>
      <thead>
        <tr>
          <th scope="col">Schedule</th>
          <th scope="col">State</th>
          <th scope="col">Last run</th>
          <th scope="col">Next run</th>
        </tr>
      </thead>
      <tbody>
        ${rows.map(
          (schedule) =>
            html`<tr>
              <td>${schedule.name}</td>
              <td>${schedule.state}</td>
              <td>${schedule.lastRun ?? '—'}</td>
              <td>${schedule.nextRun ?? '—'}</td>
            </tr>`,
        )}
      </tbody>
    </table>
  </section>`;
}
