import { proxyActivities, setCurrentDetails, setHandler, workflowInfo } from '@temporalio/workflow';
import { bookkeepingOptions, scheduledRunBookkeepingOptions, vendorCallOptions } from './activity-options.js';
import {
  periodReconcileStatusQuery,
  retryPeriodReconcileUpdate,
  type Period,
  type PeriodReconcileActivities,
  type PeriodReconcileInput,
  type PeriodReconcileResult,
  type PeriodReconcileStatus,
} from './period-reconcile-contract.js';
import { parkingRetriedByOperator, runStep, type StepText } from './shared/parking.js';

/** Reads Intacct's GL and documents: a vendor call that heartbeats, parked when its retries run out. */
const vendorCall = proxyActivities<PeriodReconcileActivities>(vendorCallOptions);
const scheduledRun = proxyActivities<PeriodReconcileActivities>(scheduledRunBookkeepingOptions);
const bookkeeping = proxyActivities<PeriodReconcileActivities>(bookkeepingOptions);

type PeriodStep = PeriodReconcileStatus['step'];

/** Each step: the status it shows, its line in Temporal's UI and its failure in words. */
const periodStep = {
  resolve: { step: 'resolving', label: 'Work out the month to reconcile', failure: 'working out the month to reconcile' },
  reconcile: (period: Period): StepText<PeriodStep> => ({
    step: 'reconciling',
    label: `Reconcile ${period}`,
    failure: `reconciling ${period} (reading the ledger, the payouts and Intacct's GL)`,
    summary: `Reconcile ${period}`,
  }),
} satisfies Record<string, StepText<PeriodStep> | ((...args: never[]) => StepText<PeriodStep>)>;

/**
 * PeriodReconcile: the month's reconciliation a controller signs, built and stored. Started on
 * demand for a month (`period-reconcile:{tenantId}:{period}`) or by the tenant's monthly schedule
 * for the month just ended. Steps:
 *
 *  1. the month: the input's, or the one before the run's start in the tenant's time zone
 *  2. reconcile: one activity loads the month's records, builds the report (pure) and stores it;
 *     only its headline comes back, so the report's rows never enter history
 *
 * A failure its retries could not cure (Intacct down for long, settings missing) parks the run in
 * the attention queue until an operator retries it. Running it again for a closed month stores
 * the same figures (the result says so).
 */
export async function periodReconcile(input: PeriodReconcileInput): Promise<PeriodReconcileResult> {
  const { workflowId, runId } = workflowInfo();
  const { tenantId } = input;
  const status: PeriodReconcileStatus = { step: 'resolving', ...(input.period !== undefined && { period: input.period }) };
  setHandler(periodReconcileStatusQuery, () => status);
  const parking = parkingRetriedByOperator(status, retryPeriodReconcileUpdate, {
    inWords: 'a reconciliation',
    recordPark: ({ attention }) => bookkeeping.parkPeriod({ tenantId, period: status.period ?? 'unresolved', workflowId, attention }),
    clearPark: () => bookkeeping.clearPeriodAttention({ tenantId, period: status.period ?? 'unresolved', workflowId }),
  });

  const result = await parking.untilDone(reconcile);
  await parking.clearAttention();
  status.step = 'done';
  status.result = result;
  setCurrentDetails(
    `${result.period}: ${result.differences} difference(s) explained; revision ${result.revision}${result.sameAsPreviousRun ? ', same figures as the previous run' : ''}`,
  );
  return result;

  async function reconcile(): Promise<PeriodReconcileResult> {
    const nowMs = Date.now();
    const period =
      status.period ?? (await runStep(status, periodStep.resolve, () => scheduledRun.resolvePeriod({ tenantId, nowMs }))).period;
    status.period = period;
    return runStep(status, periodStep.reconcile(period), (options) =>
      vendorCall.reconcilePeriod.executeWithOptions(options, [
        { tenantId, period, workflowId, runId, requestedBy: input.requestedBy ?? 'schedule' },
      ]),
    );
  }
}
