import { IntacctAlreadyRecordedError, type IntacctClient } from './client.js';
import { recordedButMissing } from './errors.js';
import { decimalToMinorUnits, fromGenericDate, genericDate, queryLiteral, type BusinessDate } from './formats.js';
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
    // Entries split in parts share the reference number; the title tells them apart.
    const key = (await findJournalEntriesByReference(client, input.referenceNumber, input.journal)).find(
      (entry) => entry.title === input.title,
    )?.batchKey;
    if (key === undefined) throw recordedButMissing(controlId, 'create', `journal entry ${input.referenceNumber} does not exist`, error);
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

/** A journal entry (GLBATCH) as found by its reference number. */
export interface JournalEntryRecord {
  readonly batchKey: string;
  readonly title: string;
  readonly date: BusinessDate | undefined;
  readonly journal: string;
}

/**
 * The journal entries posted in a journal with this reference number (a payout id: several when
 * the entry was split), in RECORDNO order: the read before writing and after a lost answer. The
 * journal keeps out the batches subledgers post with the same reference (a deposit's, say).
 */
export async function findJournalEntriesByReference(
  client: IntacctClient,
  referenceNumber: string,
  journal: string,
): Promise<JournalEntryRecord[]> {
  const records = await collectByQuery(client, {
    object: 'GLBATCH',
    query: `REFERENCENO = ${queryLiteral(referenceNumber)} AND JOURNAL = ${queryLiteral(journal)}`,
    fields: ['RECORDNO', 'BATCH_TITLE', 'BATCH_DATE', 'JOURNAL'],
    pageSize: 100,
    controlIdPrefix: 'glbatch-by-reference',
  });
  return records.map((record) => ({
    batchKey: fieldText(record, 'RECORDNO'),
    title: fieldText(record, 'BATCH_TITLE'),
    date: fromGenericDate(fieldText(record, 'BATCH_DATE')),
    journal: fieldText(record, 'JOURNAL'),
  }));
}

/** One GL entry (GLENTRY) of an account: every posting that reached the ledger, from any module. */
export interface GlEntryRecord {
  readonly recordNo: string;
  /** The GLBATCH it belongs to. */
  readonly batchKey: string;
  readonly accountNo: string;
  readonly direction: 'debit' | 'credit';
  /** Base-currency amount, positive decimal text. */
  readonly amount: string;
  readonly date: BusinessDate | undefined;
  readonly description: string;
}

/**
 * The GL entries of one account dated within a period (both ends included), from every module
 * (AR receipts, deposits, journal entries): what the clearing roll-forward reads, and how a test
 * proves clearing at zero and the bank up by the payout's net (see {@link netDebit}).
 */
export async function listGlEntries(
  client: IntacctClient,
  input: { readonly accountNo: string; readonly from: BusinessDate; readonly to: BusinessDate },
): Promise<GlEntryRecord[]> {
  const records = await collectByQuery(client, {
    object: 'GLENTRY',
    query: `ACCOUNTNO = ${queryLiteral(input.accountNo)} AND ENTRY_DATE >= ${queryLiteral(genericDate(input.from))} AND ENTRY_DATE <= ${queryLiteral(genericDate(input.to))}`,
    fields: ['RECORDNO', 'BATCHNO', 'ACCOUNTNO', 'TR_TYPE', 'AMOUNT', 'ENTRY_DATE', 'DESCRIPTION'],
    pageSize: 1000,
    controlIdPrefix: `glentry-${input.accountNo}-${input.from}-${input.to}`,
  });
  return records.map((record) => ({
    recordNo: fieldText(record, 'RECORDNO'),
    batchKey: fieldText(record, 'BATCHNO'),
    accountNo: fieldText(record, 'ACCOUNTNO'),
    direction: fieldText(record, 'TR_TYPE').trim() === '-1' ? 'credit' : 'debit',
    amount: fieldText(record, 'AMOUNT'),
    date: fromGenericDate(fieldText(record, 'ENTRY_DATE')),
    description: fieldText(record, 'DESCRIPTION'),
  }));
}

/** Debits − credits of GL entries in minor units of a currency with `exponent` decimals: an account's movement over the entries. */
export function netDebit(entries: readonly GlEntryRecord[], exponent: number): number {
  return entries.reduce((sum, entry) => {
    const amount = decimalToMinorUnits(entry.amount, exponent);
    return sum + (entry.direction === 'debit' ? amount : -amount);
  }, 0);
}

/**
 * Which of these GL accounts and bank (checking) accounts do not exist or are inactive: the
 * connection test's check of a tenant's close settings. Two reads, whatever the number of accounts.
 */
export async function findMissingAccounts(
  client: IntacctClient,
  accounts: { readonly glAccounts: readonly string[]; readonly bankAccounts: readonly string[] },
): Promise<{ glAccounts: string[]; bankAccounts: string[] }> {
  const activeOf = async (object: string, idField: string, ids: readonly string[]): Promise<Set<string>> => {
    if (ids.length === 0) return new Set();
    const records = await collectByQuery(client, {
      object,
      query: `${idField} IN (${ids.map(queryLiteral).join(', ')})`,
      fields: [idField, 'STATUS'],
      pageSize: 1000,
      controlIdPrefix: `accounts-exist-${object.toLowerCase()}`,
    });
    return new Set(records.filter((record) => fieldText(record, 'STATUS') !== 'inactive').map((record) => fieldText(record, idField)));
  };
  const [gl, bank] = await Promise.all([
    activeOf('GLACCOUNT', 'ACCOUNTNO', accounts.glAccounts),
    activeOf('CHECKINGACCOUNT', 'BANKACCOUNTID', accounts.bankAccounts),
  ]);
  return {
    glAccounts: accounts.glAccounts.filter((account) => !gl.has(account)),
    bankAccounts: accounts.bankAccounts.filter((account) => !bank.has(account)),
  };
}
