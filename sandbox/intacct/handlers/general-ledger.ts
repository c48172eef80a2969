import { formatDecimal, parseDecimal } from '../decimal.js';
import { child, childText, childrenNamed, type XmlNode } from '../xml-tree.js';
import { ensureOpenPeriod, genericDateOf, requireActive, type FunctionContext } from './context.js';

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
  const reference = childText(record, 'REFERENCENO') ?? '';
  const recordNo = context.store.insert('GLBATCH', {
    JOURNAL: journal,
    BATCH_DATE: childText(record, 'BATCH_DATE') ?? '',
    BATCH_TITLE: title,
    REFERENCENO: reference,
    STATE: childText(record, 'STATE') ?? 'Posted',
  });
  lines.forEach((line, index) => {
    context.store.insert('GLENTRY', {
      BATCHNO: String(recordNo),
      LINE_NO: String(index + 1),
      ACCOUNTNO: line.account,
      TR_TYPE: line.direction,
      TRX_AMOUNT: formatDecimal(line.amount),
      DESCRIPTION: childText(line.entry, 'DESCRIPTION') ?? '',
      DEPARTMENT: childText(line.entry, 'DEPARTMENT') ?? '',
      LOCATION: childText(line.entry, 'LOCATION') ?? '',
    });
  });
  return recordNo;
}
