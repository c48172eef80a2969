import { formatDecimal } from '../decimal.js';
import type { Row } from '../store.js';
import { toUsDate, type FunctionContext } from './context.js';

/**
 * The sandbox's general ledger. Every posting that moves money writes here, as Intacct's own
 * subledgers post to the GL: a journal entry (module GL), a cash receipt (AR: debit the bank's GL
 * account or the undeposited-funds account, credit accounts receivable), its reversal, an AR
 * adjustment (a debit memo line charges AR against the line's account, a credit memo line the
 * reverse), and a
 * deposit (CM: debit the bank's GL account, credit the undeposited-funds accounts its receipts
 * sat in). Each posting is one GLBATCH with its GLENTRY lines, so `readByQuery` on GLENTRY by
 * account and ENTRY_DATE gives an account's movement in a period. Amounts are the base
 * currency's: the sandbox keeps no exchange rates, so a foreign line converts only at an explicit
 * EXCHANGE_RATE and is otherwise booked at its transaction amount.
 */

/** The accounts receivable control account AR postings offset (the demo company's 1200). */
export const receivablesAccount = '1200';

/** One side of a posting; amounts are positive, `direction` says which side. */
export interface LedgerLine {
  readonly account: string;
  readonly direction: 'debit' | 'credit';
  /** Base-currency amount, a scaled decimal (decimal.ts). */
  readonly amount: bigint;
  readonly transactionAmount?: bigint;
  readonly currency?: string;
  readonly exchangeRate?: string;
  readonly description?: string;
  readonly location?: string;
  readonly department?: string;
  readonly project?: string;
  readonly klass?: string;
}

export interface LedgerPosting {
  /** `GL` for journal entries, `AR` for receipts, `CM` for deposits. */
  readonly module: 'GL' | 'AR' | 'CM';
  readonly journal: string;
  /** `YYYY-MM-DD`. */
  readonly date: string;
  readonly title: string;
  readonly reference: string;
  readonly state?: string;
  /** What the posting came from (`ARPYMT:1234`, `DEPOSIT:1240`), for subledger batches. */
  readonly source?: string;
  readonly lines: readonly LedgerLine[];
}

/** Writes one balanced posting to the ledger (journalled with the function) and returns its GLBATCH RECORDNO. */
export function postToLedger(context: FunctionContext, posting: LedgerPosting): number {
  const balance = posting.lines.reduce((sum, line) => sum + (line.direction === 'debit' ? line.amount : -line.amount), 0n);
  if (balance !== 0n) throw new Error(`sandbox ledger posting ${posting.title} does not balance (${formatDecimal(balance)})`);
  const usDate = toUsDate(posting.date);
  const batchNo = context.store.insert('GLBATCH', {
    JOURNAL: posting.journal,
    BATCH_DATE: usDate,
    BATCH_TITLE: posting.title,
    REFERENCENO: posting.reference,
    STATE: posting.state ?? 'Posted',
    MODULE: posting.module,
    ...(posting.source !== undefined && { _SOURCE: posting.source }),
  });
  posting.lines.forEach((line, index) => {
    const row: Row = {
      BATCHNO: String(batchNo),
      LINE_NO: String(index + 1),
      ACCOUNTNO: line.account,
      TR_TYPE: line.direction === 'debit' ? '1' : '-1',
      AMOUNT: formatDecimal(line.amount),
      TRX_AMOUNT: formatDecimal(line.transactionAmount ?? line.amount),
      CURRENCY: line.currency ?? '',
      EXCHANGE_RATE: line.exchangeRate ?? '',
      ENTRY_DATE: usDate,
      DESCRIPTION: line.description ?? '',
      DEPARTMENT: line.department ?? '',
      LOCATION: line.location ?? '',
      PROJECTID: line.project ?? '',
      CLASSID: line.klass ?? '',
      STATE: posting.state ?? 'Posted',
    };
    context.store.insert('GLENTRY', row);
  });
  return batchNo;
}

/** The GL account a cash receipt sits in: its undeposited-funds account, or its bank's GL account. */
export function receiptAccount(context: FunctionContext, payment: Row): string {
  if (payment.DEPOSITKEY) return bankGlAccount(context, payment.DEPOSITBANK ?? '');
  if (payment.UNDEPOSITEDACCOUNTNO) return payment.UNDEPOSITEDACCOUNTNO;
  return bankGlAccount(context, payment.FINANCIALENTITY ?? '');
}

/** A bank (checking) account's GL account. */
export function bankGlAccount(context: FunctionContext, bankAccountId: string): string {
  const account = context.store.getById('CHECKINGACCOUNT', bankAccountId)?.GLACCOUNTNO;
  if (account === undefined || account === '')
    throw context.errors.fail('validation', `Bank account ${bankAccountId} has no GL account.`, 'Set the bank account GL account.');
  return account;
}
