import { formatDecimal, parseDecimal } from '../decimal.js';
import type { Row } from '../store.js';
import { child, childText, childrenNamed } from '../xml-tree.js';
import { ensureOpenPeriod, legacyDateOf, requireActive, toUsDate, type FunctionHandler } from './context.js';
import { bankGlAccount, postToLedger } from './ledger-postings.js';

/**
 * `record_deposit` (Cash Management): receipts waiting in undeposited funds move into a bank
 * account as one deposit. Every receipt must be a posted, not reversed cash receipt recorded to
 * an undeposited-funds account and not deposited yet; otherwise the deposit fails whole. The
 * deposit posts to the GL (debit the bank's GL account, credit each undeposited-funds account by
 * what its receipts held) and its key is the new DEPOSIT RECORDNO.
 */
export const recordDeposit: FunctionHandler = (body, context) => {
  const bankAccountId = childText(body, 'bankaccountid') ?? '';
  requireActive(context, 'CHECKINGACCOUNT', 'Bank account', bankAccountId);
  const date = legacyDateOf(child(body, 'depositdate'), 'depositdate', context)!;
  ensureOpenPeriod(date, context);
  const depositId = (childText(body, 'depositid') ?? '').trim();
  if (depositId === '') throw context.errors.fail('validation', 'Required field depositid is missing.');
  if (child(body, 'receipts') !== undefined)
    throw context.errors.fail('unsupported', 'The sandbox deposits receipts by key only; use receiptkeys.');
  const keys = childrenNamed(child(body, 'receiptkeys'), 'receiptkey').map((key) => (key.text ?? '').trim());
  if (keys.length === 0) throw context.errors.fail('validation', 'At least one receipt key is required for a deposit.');
  const receipts: Array<{ key: string; row: Row; amount: bigint }> = [];
  for (const key of keys) {
    const row = /^\d+$/.test(key) ? context.store.get('ARPYMT', Number(key)) : undefined;
    if (!row || row.STATE === 'Reversed' || (parseDecimal(row.TOTALENTERED ?? '0') ?? 0n) <= 0n)
      throw context.errors.fail(
        'receiptNotDepositable',
        `Receipt ${key} is not a cash receipt that can be deposited.`,
        'Check the receipt key.',
      );
    if (row.DEPOSITKEY)
      throw context.errors.fail(
        'receiptNotDepositable',
        `Receipt ${key} has already been deposited (deposit ${row.DEPOSITKEY}).`,
        'Remove the receipt from the deposit.',
      );
    if (!row.UNDEPOSITEDACCOUNTNO)
      throw context.errors.fail(
        'receiptNotDepositable',
        `Receipt ${key} is not in undeposited funds; it was received directly into bank account ${row.FINANCIALENTITY}.`,
        'Only receipts recorded to undeposited funds can be deposited.',
      );
    if (receipts.some((receipt) => receipt.key === key))
      throw context.errors.fail('validation', `Receipt ${key} is listed twice.`, 'List each receipt once.');
    receipts.push({ key, row, amount: parseDecimal(row.TOTALENTERED ?? '0')! });
  }
  const total = receipts.reduce((sum, receipt) => sum + receipt.amount, 0n);
  const depositNo = context.store.insert('DEPOSIT', {
    DEPOSITID: depositId,
    FINANCIALENTITY: bankAccountId,
    WHENCREATED: toUsDate(date),
    TOTALENTERED: formatDecimal(total),
    DESCRIPTION: childText(body, 'description') ?? '',
    STATE: 'Deposited',
    RECEIPTKEYS: keys.join(','),
  });
  for (const receipt of receipts)
    context.store.update('ARPYMT', Number(receipt.key), { DEPOSITKEY: String(depositNo), DEPOSITBANK: bankAccountId });
  const byAccount = new Map<string, bigint>();
  for (const receipt of receipts) {
    const account = receipt.row.UNDEPOSITEDACCOUNTNO!;
    byAccount.set(account, (byAccount.get(account) ?? 0n) + receipt.amount);
  }
  postToLedger(context, {
    module: 'CM',
    journal: 'CMJ',
    date,
    title: `Deposit ${depositId}`,
    reference: depositId,
    source: `DEPOSIT:${depositNo}`,
    lines: [
      { account: bankGlAccount(context, bankAccountId), direction: 'debit', amount: total, description: `Deposit ${depositId}` },
      ...[...byAccount].map(([account, amount]) => ({
        account,
        direction: 'credit' as const,
        amount,
        description: `Deposit ${depositId}`,
      })),
    ],
  });
  return { key: String(depositNo) };
};
