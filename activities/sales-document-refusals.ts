import type { ApplicationFailure } from '@temporalio/common';
import { IntacctInputError } from '../connectors/intacct/index.js';
import { salesDocumentRefusal } from '../decisions/sales-document-refusal.js';
import { orderToCashFailures } from '../workflows/order-to-cash-contract.js';
import { operatorFailure } from './flow-failure.js';

/**
 * Intacct's refusal of a dimension value or custom field the tenant's mappings put on the
 * document, as the failure that parks the order with its own code and fix; undefined for any
 * other error, which the caller rethrows as it is.
 */
export function refusedDocumentFailure(error: unknown): ApplicationFailure | undefined {
  if (!(error instanceof IntacctInputError)) return undefined;
  const refusal = salesDocumentRefusal(error.errors);
  if (refusal === undefined) return undefined;
  const vendor = { ...(error.vendorCode !== undefined && { errorno: error.vendorCode }), description2: error.description2 };
  return refusal.kind === 'customField'
    ? operatorFailure(
        orderToCashFailures,
        'IntacctCustomFieldUnknown',
        `Intacct has no custom field ${refusal.field} on sales transactions (${error.message})`,
        { customField: refusal.field, ...vendor },
      )
    : operatorFailure(
        orderToCashFailures,
        'IntacctDimensionValueUnknown',
        `Intacct has no active ${refusal.dimension} '${refusal.value}' (${error.message})`,
        { dimension: refusal.dimension, value: refusal.value, ...vendor },
      );
}
