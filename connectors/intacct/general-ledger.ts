import { IntacctAlreadyRecordedError, type IntacctClient } from './client.js';
import { recordedButMissing } from './errors.js';
import { queryLiteral } from './formats.js';
import { createJournalEntry as createJournalEntryFunction, type JournalEntryInput } from './functions/create-journal-entry.js';
import { collectByQuery } from './paging.js';
import { fieldText } from './response-parser.js';

/**
 * Posts a journal entry (GLBATCH) exactly once; debits must equal credits. The reference
 * number is the business key that resolves an "already recorded" replay.
 */
export async function createJournalEntry(
  client: IntacctClient,
  input: JournalEntryInput & { readonly referenceNumber: string },
  controlId: string,
): Promise<{ readonly batchKey: string; readonly created: boolean }> {
  try {
    const result = await client.executeOne({ controlId, body: createJournalEntryFunction(input) }, { uniqueId: true });
    const record = result.data?.records[0];
    return { batchKey: record ? fieldText(record, 'RECORDNO') : '', created: true };
  } catch (error) {
    if (!(error instanceof IntacctAlreadyRecordedError)) throw error;
    const records = await collectByQuery(client, {
      object: 'GLBATCH',
      query: `REFERENCENO = ${queryLiteral(input.referenceNumber)}`,
      fields: ['RECORDNO'],
      pageSize: 10,
      controlIdPrefix: 'glbatch-by-reference',
    });
    const key = records[0] === undefined ? '' : fieldText(records[0], 'RECORDNO');
    if (!key) throw recordedButMissing(controlId, 'create', `journal entry ${input.referenceNumber} does not exist`, error);
    return { batchKey: key, created: false };
  }
}

/** The GL account behind a bank account (CHECKINGACCOUNT GLACCOUNTNO), or undefined when it has none. */
export async function readBankGlAccount(client: IntacctClient, bankAccountId: string): Promise<string | undefined> {
  const [record] = await collectByQuery(client, {
    object: 'CHECKINGACCOUNT',
    query: `BANKACCOUNTID = ${queryLiteral(bankAccountId)}`,
    fields: ['BANKACCOUNTID', 'GLACCOUNTNO'],
    pageSize: 1,
    controlIdPrefix: 'bank-gl-account',
  });
  const glAccountNo = record === undefined ? '' : fieldText(record, 'GLACCOUNTNO');
  return glAccountNo === '' ? undefined : glAccountNo;
}
