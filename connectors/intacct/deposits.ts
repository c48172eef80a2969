import { IntacctAlreadyRecordedError, type IntacctClient } from './client.js';
import { recordedButMissing } from './errors.js';
import { fromGenericDate, queryLiteral, type BusinessDate } from './formats.js';
import { recordDeposit as recordDepositFunction, type DepositInput } from './functions/record-deposit.js';
import { collectByQuery } from './paging.js';
import { fieldText } from './response-parser.js';

/** A deposit as Intacct lists it (Cash Management DEPOSIT). */
export interface DepositRecord {
  /** RECORDNO. */
  readonly depositKey: string;
  /** The deposit slip id it was recorded with (a payout id). */
  readonly depositId: string;
  readonly bankAccountId: string;
  readonly date: BusinessDate | undefined;
  /** Decimal text, as Intacct states it. */
  readonly total: string;
}

/** The deposit recorded under this deposit slip id, or undefined: how a lost answer is recovered, and the read before writing. */
export async function findDepositById(client: IntacctClient, depositId: string): Promise<DepositRecord | undefined> {
  const [record] = await collectByQuery(client, {
    object: 'DEPOSIT',
    query: `DEPOSITID = ${queryLiteral(depositId)}`,
    fields: ['RECORDNO', 'DEPOSITID', 'FINANCIALENTITY', 'WHENCREATED', 'TOTALENTERED'],
    pageSize: 10,
    controlIdPrefix: 'deposit-by-id',
  });
  if (record === undefined) return undefined;
  return {
    depositKey: fieldText(record, 'RECORDNO'),
    depositId: fieldText(record, 'DEPOSITID'),
    bankAccountId: fieldText(record, 'FINANCIALENTITY'),
    date: fromGenericDate(fieldText(record, 'WHENCREATED')),
    total: fieldText(record, 'TOTALENTERED'),
  };
}

/**
 * Records a deposit of receipts exactly once (`record_deposit` with `uniqueid`). The deposit slip
 * id (the payout id) is the business key that resolves an "already recorded" replay; callers
 * that may be retrying look first with {@link findDepositById}.
 */
export async function recordDeposit(
  client: IntacctClient,
  input: DepositInput,
  controlId: string,
): Promise<{ readonly depositKey: string; readonly created: boolean }> {
  try {
    const result = await client.executeOne({ controlId, body: recordDepositFunction(input) }, { uniqueId: true });
    return { depositKey: result.key ?? '', created: true };
  } catch (error) {
    if (!(error instanceof IntacctAlreadyRecordedError)) throw error;
    const found = await findDepositById(client, input.depositId);
    if (found === undefined) throw recordedButMissing(controlId, 'record_deposit', `deposit ${input.depositId} does not exist`, error);
    return { depositKey: found.depositKey, created: false };
  }
}
