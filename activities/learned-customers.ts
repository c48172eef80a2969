import type { ApplicationFailure } from '@temporalio/common';
import type { Db } from 'mongodb';
import { log } from '@temporalio/activity';
import { IntacctInputError } from '../connectors/intacct/index.js';
import { refusesCustomer, staleMappingVerdict } from '../decisions/stale-learned-mapping.js';
import { customerMappingRowsNaming, forgetCustomerMappingRows } from '../store/mappings.js';
import { orderToCashFailures } from '../workflows/order-to-cash-contract.js';
import { rememberedBy } from './customers.js';
import { operatorFailure } from './flow-failure.js';

/**
 * When Intacct refused a document because its customer is unknown or inactive, and the product
 * had learned that customer itself (a match or creation remembered in the customers mapping
 * table), forgets every learned row naming it and answers the `LearnedCustomerStale` failure, on
 * which OrderToCash resolves the customer once more instead of parking. Rows a person entered are
 * kept, and any other refusal is answered undefined: the caller rethrows the vendor's own error.
 */
export async function forgetStaleLearnedCustomer(
  db: Db,
  tenantId: string,
  customerId: string,
  refusal: unknown,
): Promise<ApplicationFailure | undefined> {
  if (!(refusal instanceof IntacctInputError) || !refusesCustomer(refusal.errors, customerId)) return undefined;
  const rows = await customerMappingRowsNaming(db, tenantId, customerId);
  const verdict = staleMappingVerdict(
    refusal.errors,
    customerId,
    rows.map((row) => ({ key: row.key, learned: row.updatedBy === rememberedBy })),
  );
  if (verdict.action === 'park') return undefined;
  const forgotten = await forgetCustomerMappingRows(db, tenantId, verdict.keys, customerId, rememberedBy);
  log.warn('Forgot learned customer mappings Intacct refused', { tenantId, customerId, rows: verdict.keys.length, forgotten });
  return operatorFailure(
    orderToCashFailures,
    'LearnedCustomerStale',
    `Intacct refused customer ${customerId}, which the product had remembered for this shopper (${refusal.message}); the remembered mapping rows (${verdict.keys.join(', ')}) were forgotten so the customer is resolved again`,
    { customerId, forgottenRows: verdict.keys, ...(refusal.vendorCode !== undefined && { errorno: refusal.vendorCode }) },
  );
}
