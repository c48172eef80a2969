import type { ProcessorName } from '../../workflows/payout-reconcile-contract.js';
import type { AdminDependencies } from './context.js';

/** A payout an import stored, or found already stored with the same content. */
export interface ImportedPayout {
  tenantId: string;
  processor: ProcessorName;
  payoutId: string;
}

/** Called once per payout after the import has stored it. */
export type PayoutImportedHandler = (payout: ImportedPayout) => Promise<void>;

/**
 * What follows an import: the payout's PayoutReconcile workflow should start (or, when it runs
 * already, hear that the payout was imported again). The workflow is in main, but the activities
 * it calls (`readPayout`, which reads `processor_payouts`, and the posting ones) are not registered
 * in the worker yet, so this does nothing until the lead wires it, as the other receivers do:
 * `deps.temporal.client.workflow.signalWithStart(payoutReconcileWorkflowType, { workflowId:
 * payoutReconcileWorkflowId(tenantId, processor, payoutId), taskQueue, args: [payout], signal:
 * payoutChangedSignal, signalArgs: [{ event: 'imported' }], workflowIdConflictPolicy: 'USE_EXISTING',
 * typedSearchAttributes: payoutReconcileSearchAttributes(payout) })`, answering 503 without Temporal.
 * It is called for new payouts and for unchanged ones alike, so importing a file again retries a
 * start that failed the first time; a failure here answers 5xx after the payout is stored.
 */
export function onPayoutImported(_deps: Pick<AdminDependencies, 'temporal'>): PayoutImportedHandler {
  return () => Promise.resolve();
}
