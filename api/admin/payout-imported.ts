import type { ProcessorName } from '../../workflows/payout-reconcile-contract.js';
import { startPayoutReconcile } from '../payout-starts.js';
import type { AdminDependencies } from './context.js';
import { withTemporal } from './temporal-access.js';

/** A payout an import stored, or found already stored with the same content. */
export interface ImportedPayout {
  tenantId: string;
  processor: ProcessorName;
  payoutId: string;
}

/** Called once per payout after the import has stored it. */
export type PayoutImportedHandler = (payout: ImportedPayout) => Promise<void>;

/**
 * What follows an import: the payout's PayoutReconcile starts, or, when it runs already (parked
 * on a payout that was missing, say), hears that the payout was imported (signal-with-start, see
 * `startPayoutReconcile`); a payout whose workflow already finished stays as posted. It is
 * called for new payouts and unchanged ones alike, so importing a file again retries a start
 * that failed the first time; without Temporal (or when it does not answer) the import answers
 * 503 after the payouts are stored, and importing the file again starts them.
 */
export function onPayoutImported(deps: AdminDependencies): PayoutImportedHandler {
  return async (payout) => {
    await withTemporal(deps, (temporal) => startPayoutReconcile(temporal, payout, 'imported'));
  };
}
