import { businessDateOf } from '../mappers/to-intacct-sales-document.js';

/**
 * When a price list sync run reconciles the store's records with every entry Intacct holds
 * (issue 20): the modified-since poll never sees an entry deleted outright, nor a DATEFROM that
 * arrives or a DATETO that passes without an edit, so once a day the scheduled run reads
 * everything instead. Pure.
 */

/** Why a run does or does not reconcile, in the settings' words. */
export type PriceListReconciliationDecision =
  | { reconcile: true; day: string; because: 'operatorFullRun' | 'dailyReconciliation' }
  | { reconcile: false; day: string; because: 'turnedOff' | 'beforeTheHour' | 'alreadyReconciledToday' };

/** The wall-clock day (`YYYY-MM-DD`) and hour (0–23) of an instant in a time zone. */
function localDayAndHour(instant: string, timeZone: string): { day: string; hour: number } {
  const hour = Number(new Intl.DateTimeFormat('en-GB', { timeZone, hour: 'numeric', hourCycle: 'h23' }).format(new Date(instant)));
  return { day: businessDateOf(instant, timeZone), hour };
}

/**
 * Whether the run starting at `now` (ISO) reconciles: always when an operator asked for a full
 * run; otherwise, with the daily reconciliation on, when it is the first run on the tenant's
 * local day at or after `hour` (a day already reconciled, by the schedule or an operator, is not
 * reconciled again). `day` is the local day the run counts for once it completes.
 */
export function priceListReconciliation(input: {
  now: string;
  timeZone: string;
  settings: { enabled: boolean; hour: number };
  /** The local day of the last completed reconciliation. */
  lastReconciledOn: string | undefined;
  full: boolean;
}): PriceListReconciliationDecision {
  const { day, hour } = localDayAndHour(input.now, input.timeZone);
  if (input.full) return { reconcile: true, day, because: 'operatorFullRun' };
  if (!input.settings.enabled) return { reconcile: false, day, because: 'turnedOff' };
  if (hour < input.settings.hour) return { reconcile: false, day, because: 'beforeTheHour' };
  if (input.lastReconciledOn !== undefined && input.lastReconciledOn >= day)
    return { reconcile: false, day, because: 'alreadyReconciledToday' };
  return { reconcile: true, day, because: 'dailyReconciliation' };
}
