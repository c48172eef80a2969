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
 * What follows an import: the payout's PayoutReconcile workflow should start. That workflow does
 * not exist yet, so this does nothing; its start belongs here — `deps.temporal.client.workflow.start`
 * with id `payoutReconcileWorkflowId(tenantId, processor, payoutId)` and conflict policy "use
 * existing", the payout itself read from `processor_payouts` by the workflow's first activity.
 * It is called for new payouts and for unchanged ones alike, so importing a file again retries a
 * start that failed the first time; a failure here answers 5xx after the payout is stored.
 */
export function onPayoutImported(_deps: Pick<AdminDependencies, 'temporal'>): PayoutImportedHandler {
  return () => Promise.resolve();
}
