import { describeSweepSchedule } from '../../api/admin/backfill-routes.js';
import { describeInventorySchedule } from '../../api/admin/inventory-schedule-routes.js';
import { HttpError } from '../../api/errors.js';
import type { Tenant } from '../../store/tenants.js';
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

/**
 * The overview's schedules card: the safety-net sweep and inventory reconciliation, read with
 * the admin API's own functions. The sweep's "last run" is how far it has swept; the
 * reconciliation's is the latest run it started.
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
