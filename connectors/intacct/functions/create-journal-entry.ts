import { genericDate, type BusinessDate } from '../formats.js';
import type { XmlElement } from '../xml-writer.js';
import { create, type ObjectFields } from './create.js';

/** One GL entry; amounts are positive decimal text, `direction` says debit or credit. */
export interface JournalEntryLine {
  readonly accountNumber: string;
  readonly direction: 'debit' | 'credit';
  readonly amount: string;
  readonly currency?: string;
  /** With a currency other than the base: the rate Intacct converts at, a rate type (on a date) or an explicit rate. */
  readonly exchangeRate?: JournalExchangeRate;
  readonly description?: string;
  readonly departmentId?: string;
  readonly locationId?: string;
  readonly projectId?: string;
  readonly classId?: string;
  readonly customerId?: string;
  readonly itemId?: string;
  readonly warehouseId?: string;
}

/** How a foreign-currency line converts to the base currency: a rate type on a date, or an explicit rate. */
export type JournalExchangeRate =
  { readonly rateType: string; readonly date?: BusinessDate } | { readonly rate: string; readonly date?: BusinessDate };

/** A GLBATCH (journal entry). */
export interface JournalEntryInput {
  readonly journal: string;
  readonly date: BusinessDate;
  readonly title: string;
  readonly referenceNumber?: string;
  readonly reverseDate?: BusinessDate;
  readonly state?: 'Posted' | 'Draft';
  readonly lines: readonly JournalEntryLine[];
}

/**
 * Refuses an entry whose debits and credits differ before it is sent: the gateway would refuse
 * it too, and an unbalanced entry is a bug in the caller's allocation.
 */
export function assertBalanced(lines: readonly JournalEntryLine[]): void {
  if (lines.length < 2) throw new RangeError('A journal entry needs at least two lines');
  let balance = 0n;
  for (const line of lines) {
    const match = /^(\d+)(?:\.(\d{1,2}))?$/.exec(line.amount);
    if (!match) throw new RangeError(`Journal amounts are positive decimals with at most 2 places, got ${JSON.stringify(line.amount)}`);
    const cents = BigInt(match[1]!) * 100n + BigInt((match[2] ?? '').padEnd(2, '0'));
    balance += line.direction === 'debit' ? cents : -cents;
  }
  if (balance !== 0n) throw new RangeError(`Journal entry does not balance: debits − credits = ${balance} minor units`);
}

/** Generic `create` of one GLBATCH; the result's data holds its RECORDNO. */
export function createJournalEntry(input: JournalEntryInput): XmlElement {
  assertBalanced(input.lines);
  const fields: ObjectFields = [
    ['JOURNAL', input.journal],
    ['BATCH_DATE', genericDate(input.date)],
    ['REVERSEDATE', input.reverseDate === undefined ? undefined : genericDate(input.reverseDate)],
    ['BATCH_TITLE', input.title],
    ['REFERENCENO', input.referenceNumber],
    ['STATE', input.state],
    [
      'ENTRIES',
      input.lines.map(
        (line) =>
          [
            'GLENTRY',
            [
              ['ACCOUNTNO', line.accountNumber],
              ['TR_TYPE', line.direction === 'debit' ? '1' : '-1'],
              ['TRX_AMOUNT', line.amount],
              ['CURRENCY', line.currency],
              ['EXCH_RATE_DATE', line.exchangeRate?.date === undefined ? undefined : genericDate(line.exchangeRate.date)],
              [
                'EXCH_RATE_TYPE_ID',
                line.exchangeRate !== undefined && 'rateType' in line.exchangeRate ? line.exchangeRate.rateType : undefined,
              ],
              ['EXCHANGE_RATE', line.exchangeRate !== undefined && 'rate' in line.exchangeRate ? line.exchangeRate.rate : undefined],
              ['DESCRIPTION', line.description],
              ['DEPARTMENT', line.departmentId],
              ['LOCATION', line.locationId],
              ['PROJECTID', line.projectId],
              ['CLASSID', line.classId],
              ['CUSTOMERID', line.customerId],
              ['ITEMID', line.itemId],
              ['WAREHOUSEID', line.warehouseId],
            ],
          ] as const,
      ),
    ],
  ];
  return create([{ object: 'GLBATCH', fields }]);
}
