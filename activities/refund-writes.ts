import type { ApplicationFailure } from '@temporalio/common';
import { IntacctAlreadyRecordedError, IntacctInputError } from '../connectors/intacct/index.js';
import { toApplicationFailure } from './connector-failure.js';
import { flowFailure } from './flow-failure.js';
import { returnToCreditMemoFailures, type RefundRef } from '../workflows/return-to-credit-memo-contract.js';
import { refundRefusalType } from '../decisions/refund-refusal.js';

/**
 * What every refund write shares: the refund's ledger key, and how an Intacct refusal becomes
 * the refund's own failure type.
 */

/** The refund's key in the sync ledger. */
export const refundKey = (ref: RefundRef) => ({ tenantId: ref.tenantId, entity: 'refund' as const, externalId: ref.refundId });

/** A failure type of ReturnToCreditMemo's catalogue. */
export type RefundFailureType = keyof typeof returnToCreditMemoFailures;

/**
 * An Intacct refusal of a refund's write as the refund's own failure type, named by
 * `refundRefusalType` (a closed period, an unknown item, else `type`). The vendor's message and
 * fields are kept. Anything that is not a refusal is returned unchanged.
 */
export function refusedAs(type: RefundFailureType, what: string, error: unknown): unknown {
  if (!(error instanceof IntacctInputError) || error instanceof IntacctAlreadyRecordedError) return error;
  const refusal = refundRefusalType(error, type);
  const base = toApplicationFailure(error) as ApplicationFailure;
  return flowFailure(returnToCreditMemoFailures, refusal, `Intacct refused ${what}: ${error.message}`, {
    details: (base.details?.[0] as Record<string, unknown> | undefined) ?? { failureClass: 'input' },
  });
}

/** Runs an Intacct write, turning its refusal into the refund's failure type. */
export async function refusing<T>(type: RefundFailureType, what: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    throw refusedAs(type, what, error);
  }
}
