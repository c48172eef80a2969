import { formatDecimal, multiply, parseDecimal, roundTo } from '../decimal.js';
import { child, childText, childrenNamed, type XmlNode } from '../xml-tree.js';
import { ensureOpenPeriod, genericDateOf, requireActive, type FunctionContext } from './context.js';
import { postToLedger } from './ledger-postings.js';

/**
 * A GLBATCH from generic `create`: a known journal, at least two entries, known accounts and
 * dimensions, positive amounts, debits equal to credits, an open period.
 */
export function createJournalEntry(record: XmlNode, context: FunctionContext): number {
  const journal = childText(record, 'JOURNAL') ?? '';
  if (!context.store.getById('GLJOURNAL', journal)) throw context.errors.invalidReference('Journal', journal);
  const date = genericDateOf(childText(record, 'BATCH_DATE'), 'BATCH_DATE', context);
  if (date === undefined) throw context.errors.fail('validation', 'Required field BATCH_DATE is missing.');
  ensureOpenPeriod(date, context);
  const title = childText(record, 'BATCH_TITLE') ?? '';
  if (!title.trim()) throw context.errors.fail('validation', 'Required field BATCH_TITLE is missing.');
  const entries = childrenNamed(child(record, 'ENTRIES'), 'GLENTRY');
  if (entries.length < 2) throw context.errors.fail('validation', 'A journal entry needs at least two lines.');
  let balance = 0n;
  const lines = entries.map((entry, index) => {
    const account = childText(entry, 'ACCOUNTNO') ?? '';
    requireActive(context, 'GLACCOUNT', 'Account', account);
    for (const [field, object, thing] of [
      ['DEPARTMENT', 'DEPARTMENT', 'Department'],
      ['LOCATION', 'LOCATION', 'Location'],
      ['PROJECTID', 'PROJECT', 'Project'],
      ['CLASSID', 'CLASS', 'Class'],
      ['CUSTOMERID', 'CUSTOMER', 'Customer'],
    ] as const) {
      const value = childText(entry, field);
      if (value !== undefined) requireActive(context, object, thing, value);
    }
    const direction = (childText(entry, 'TR_TYPE') ?? '').trim();
    if (direction !== '1' && direction !== '-1')
      throw context.errors.fail('validation', `Line ${index + 1}: TR_TYPE must be 1 (debit) or -1 (credit).`);
    // Sage's documentation shows AMOUNT, the PHP SDK writes TRX_AMOUNT: accept either.
    const rawAmount = childText(entry, 'TRX_AMOUNT') ?? childText(entry, 'AMOUNT') ?? '';
    const amount = parseDecimal(rawAmount);
    if (amount === undefined || amount <= 0n)
      throw context.errors.fail('validation', `Line ${index + 1}: amount ${rawAmount || '(missing)'} must be a positive number.`);
    balance += direction === '1' ? amount : -amount;
    return { account, direction, amount, entry };
  });
  if (balance !== 0n) {
    throw context.errors.fail(
      'unbalancedBatch',
      `The journal entry is not balanced: debits and credits differ by ${formatDecimal(balance < 0n ? -balance : balance)}.`,
      'Make the debits equal the credits.',
    );
  }
  const ledgerLines = lines.map(({ account, direction, amount, entry }, index) => {
    const currency = childText(entry, 'CURRENCY');
    const rawRate = childText(entry, 'EXCHANGE_RATE');
    const rate = rawRate === undefined ? undefined : parseDecimal(rawRate);
    if (rawRate !== undefined && (rate === undefined || rate <= 0n))
      throw context.errors.fail('validation', `Line ${index + 1}: EXCHANGE_RATE ${rawRate} must be a positive number.`);
    const text = (field: string) => childText(entry, field);
    return {
      account,
      direction: direction === '1' ? ('debit' as const) : ('credit' as const),
      amount: rate === undefined ? amount : roundTo(multiply(amount, rate), 2),
      transactionAmount: amount,
      ...(currency !== undefined && { currency }),
      ...(rawRate !== undefined && { exchangeRate: rawRate }),
      ...(text('DESCRIPTION') !== undefined && { description: text('DESCRIPTION') }),
      ...(text('LOCATION') !== undefined && { location: text('LOCATION') }),
      ...(text('DEPARTMENT') !== undefined && { department: text('DEPARTMENT') }),
      ...(text('PROJECTID') !== undefined && { project: text('PROJECTID') }),
      ...(text('CLASSID') !== undefined && { klass: text('CLASSID') }),
    };
  });
  // Lines converted one by one may miss balance by a rounding cent in the base currency: the last line takes it.
  const baseBalance = ledgerLines.reduce((sum, line) => sum + (line.direction === 'debit' ? line.amount : -line.amount), 0n);
  const last = ledgerLines[ledgerLines.length - 1]!;
  ledgerLines[ledgerLines.length - 1] = {
    ...last,
    amount: last.direction === 'debit' ? last.amount - baseBalance : last.amount + baseBalance,
  };
  return postToLedger(context, {
    module: 'GL',
    journal,
    date,
    title,
    reference: childText(record, 'REFERENCENO') ?? '',
    state: childText(record, 'STATE') ?? 'Posted',
    lines: ledgerLines,
  });
}
