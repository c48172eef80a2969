import { ApplicationFailure } from '@temporalio/common';
import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import { isConnectorError, type ConnectorSystem } from '../connectors/connector-error.js';
import type { WorkerMetrics } from '../observability/metrics.js';

/** The vendor a connector's failure type names (`IntacctRetryableError`, `BigCommerceInputError`, …). */
const vendorByTypePrefix: ReadonlyArray<[prefix: string, vendor: ConnectorSystem]> = [
  ['Intacct', 'intacct'],
  ['BigCommerce', 'bigcommerce'],
  ['Clarity', 'clarity'],
];

/** A failed vendor call as the metrics label it, or undefined when the failure is not a vendor's. */
export function vendorFailureOf(error: unknown): { vendor: string; failureClass: string; type: string } | undefined {
  if (isConnectorError(error)) return { vendor: error.system, failureClass: error.kind, type: error.type };
  // What `withConnectorFailures` made of a connector error: its type, and its kind as `failureClass`.
  if (!(error instanceof ApplicationFailure) || typeof error.type !== 'string') return undefined;
  const failureClass = (error.details?.[0] as { failureClass?: unknown } | undefined)?.failureClass;
  const vendor = vendorByTypePrefix.find(([prefix]) => error.type!.startsWith(prefix))?.[1];
  if (typeof failureClass !== 'string' || vendor === undefined) return undefined;
  return { vendor, failureClass, type: error.type };
}

/** Orders' outcomes, by the activity whose completion means it. */
const orderOutcomeByActivity: Readonly<Record<string, string>> = {
  createSalesDocument: 'posted',
  parkOrder: 'parked',
  recordOrderSkipped: 'skipped',
  recordOrderCancelled: 'cancelled',
};

/** Inventory runs' stages, by the activity whose completion means it. */
const inventoryStageByActivity: Readonly<Record<string, string>> = {
  planInventoryRun: 'planned',
  storeInventoryReport: 'reported',
};

function tenantOf(args: readonly unknown[]): string | undefined {
  const tenantId = (args[0] as { tenantId?: unknown } | undefined)?.tenantId;
  return typeof tenantId === 'string' ? tenantId : undefined;
}

/**
 * Measures every activity attempt the worker runs, at the one place all of them pass: its
 * duration and outcome, the vendor, class and type of a failed vendor call, and the business
 * facts an activity's completion means (an order posted, parked, skipped or cancelled; an
 * inventory run planned or reported). Activities themselves stay unaware of metrics.
 */
export function activityMetrics(metrics: WorkerMetrics): ActivityInterceptorsFactory {
  return (context) => ({
    inbound: {
      async execute(input, next) {
        const activity = context.info.activityType;
        const startedAt = performance.now();
        const seconds = () => (performance.now() - startedAt) / 1000;
        let result: unknown;
        try {
          result = await next(input);
        } catch (error) {
          metrics.activityDuration.observe({ activity, outcome: 'failed' }, seconds());
          const failure = vendorFailureOf(error);
          if (failure)
            metrics.vendorFailures.inc({ vendor: failure.vendor, activity, failure_class: failure.failureClass, type: failure.type });
          throw error;
        }
        metrics.activityDuration.observe({ activity, outcome: 'completed' }, seconds());
        const tenant = tenantOf(input.args);
        if (tenant !== undefined) {
          const outcome = orderOutcomeByActivity[activity];
          if (outcome !== undefined) metrics.orders.inc({ tenant, outcome });
          const stage = inventoryStageByActivity[activity];
          if (stage !== undefined) metrics.inventoryRuns.inc({ tenant, stage });
        }
        return result;
      },
    },
  });
}
