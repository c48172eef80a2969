import { formatDecimal, parseDecimal } from '../decimal.js';
import type { Row } from '../store.js';
import { child, childText, childrenNamed, type XmlNode } from '../xml-tree.js';
import { ensureOpenPeriod, entityOwnerFields, genericDateOf, requireActive, toUsDate, type FunctionContext } from './context.js';

/**
 * Generic `create` of an `ARPYMT` that applies credits only, per Sage's AR payments reference
 * (developer.intacct.com/api/accounts-receivable/ar-payments): each `ARPYMTDETAIL` pays one
 * open item, an invoice (`RECORDKEY`) or a debit memo (`POSADJKEY`), never both, with an open
 * credit memo (`ADJUSTMENTKEY`, `TRX_ADJUSTMENTAMOUNT`) of the same customer. Applying more
 * than either side has open fails; both records' TOTALDUE, TOTALPAID and STATE move. Cash
 * details (`TRX_PAYMENTAMOUNT`) and the other credit kinds are left to `create_arpayment` and
 * refused as unsupported here. Returns the new ARPYMT RECORDNO.
 */
export function createCreditApplication(record: XmlNode, context: FunctionContext): number {
  const customerId = childText(record, 'CUSTOMERID') ?? '';
  if (customerId === '') throw context.errors.fail('validation', 'Required field CUSTOMERID is missing for Ar payment.');
  requireActive(context, 'CUSTOMER', 'Customer', customerId);
  const methods = ['Printed Check', 'Cash', 'EFT', 'Credit Card', 'Online Charge Card', 'Online ACH Debit'];
  const method = childText(record, 'PAYMENTMETHOD') ?? '';
  if (!methods.includes(method))
    throw context.errors.fail('validation', `Invalid PAYMENTMETHOD ${method || '(missing)'}`, `Use one of: ${methods.join(', ')}.`);
  const bank = childText(record, 'FINANCIALENTITY');
  const undeposited = childText(record, 'UNDEPOSITEDACCOUNTNO');
  if (bank !== undefined) requireActive(context, 'CHECKINGACCOUNT', 'Bank account', bank);
  else if (undeposited !== undefined) requireActive(context, 'GLACCOUNT', 'Account', undeposited);
  else if (childText(record, 'PRBATCH') === undefined)
    throw context.errors.fail('validation', 'A FINANCIALENTITY, UNDEPOSITEDACCOUNTNO or PRBATCH is required.');
  const date = genericDateOf(childText(record, 'RECEIPTDATE'), 'RECEIPTDATE', context);
  if (date === undefined) throw context.errors.fail('validation', 'Required field RECEIPTDATE is missing for Ar payment.');
  ensureOpenPeriod(date, context);
  const details = childrenNamed(child(record, 'ARPYMTDETAILS'), 'ARPYMTDETAIL');
  if (details.length === 0) throw context.errors.fail('validation', 'At least one ARPYMTDETAIL is required.');
  const paymentNo = context.store.insert('ARPYMT', {
    ...entityOwnerFields(context),
    CUSTOMERID: customerId,
    DOCNUMBER: childText(record, 'DOCNUMBER') ?? '',
    DESCRIPTION: childText(record, 'DESCRIPTION') ?? '',
    PAYMENTMETHOD: method,
    TOTALENTERED: '0',
    RECEIPTDATE: toUsDate(date),
    FINANCIALENTITY: bank ?? '',
    UNDEPOSITEDACCOUNTNO: undeposited ?? '',
    CURRENCY: childText(record, 'CURRENCY') ?? 'USD',
    STATE: 'Posted',
  });
  for (const detail of details) applyCredit(detail, customerId, paymentNo, context);
  return paymentNo;
}

function applyCredit(detail: XmlNode, customerId: string, paymentNo: number, context: FunctionContext): void {
  if (childText(detail, 'TRX_PAYMENTAMOUNT') !== undefined)
    throw context.errors.fail('unsupported', 'The sandbox records cash receipts with create_arpayment only.');
  const invoiceKey = childText(detail, 'RECORDKEY');
  const debitMemoKey = childText(detail, 'POSADJKEY');
  if ((invoiceKey === undefined) === (debitMemoKey === undefined))
    throw context.errors.fail('validation', 'A payment detail pays either an invoice (RECORDKEY) or a debit memo (POSADJKEY), not both.');
  const creditKey = childText(detail, 'ADJUSTMENTKEY') ?? '';
  const rawAmount = childText(detail, 'TRX_ADJUSTMENTAMOUNT') ?? '';
  const amount = parseDecimal(rawAmount);
  if (amount === undefined || amount <= 0n)
    throw context.errors.fail('validation', `TRX_ADJUSTMENTAMOUNT ${rawAmount || '(missing)'} must be a positive number.`);

  const credit = findRecord(context, 'ARADJUSTMENT', creditKey);
  if (!credit) throw context.errors.invalidReference('Credit memo', creditKey);
  const paidObject = invoiceKey === undefined ? 'ARADJUSTMENT' : 'ARINVOICE';
  const paidKey = invoiceKey ?? debitMemoKey ?? '';
  const paid = findRecord(context, paidObject, paidKey);
  if (!paid) throw context.errors.invalidReference(invoiceKey === undefined ? 'Debit memo' : 'Invoice', paidKey);
  for (const [what, row] of [
    ['Credit memo', credit],
    [invoiceKey === undefined ? 'Debit memo' : 'Invoice', paid],
  ] as const) {
    if (row.CUSTOMERID !== customerId)
      throw context.errors.fail('validation', `${what} ${row.RECORDNO} belongs to customer ${row.CUSTOMERID}, not ${customerId}.`);
  }
  const creditOpen = -(parseDecimal(credit.TOTALDUE ?? '0') ?? 0n);
  if (creditOpen <= 0n) throw context.errors.fail('validation', `Adjustment ${creditKey} is not an open credit memo.`);
  const paidDue = parseDecimal(paid.TOTALDUE ?? '0') ?? 0n;
  if (amount > creditOpen)
    throw context.errors.fail(
      'overApplied',
      `The credit applied from ${creditKey} (${formatDecimal(amount)}) exceeds its available credit (${formatDecimal(creditOpen)}).`,
      'Apply no more than the credit available.',
    );
  if (amount > paidDue)
    throw context.errors.fail(
      'overApplied',
      `The amount applied to ${paidKey} (${formatDecimal(amount)}) exceeds its amount due (${formatDecimal(paidDue)}).`,
      'Apply no more than the amount due.',
    );
  settle(context, 'ARADJUSTMENT', credit, -amount);
  settle(context, paidObject, paid, amount);
  context.store.insert('ARPYMTDETAIL', {
    PAYMENTKEY: String(paymentNo),
    ...(invoiceKey === undefined ? { POSADJKEY: paidKey } : { RECORDKEY: paidKey }),
    ADJUSTMENTKEY: creditKey,
    TRX_ADJUSTMENTAMOUNT: formatDecimal(amount),
  });
}

function findRecord(context: FunctionContext, object: string, key: string): Row | undefined {
  return /^\d+$/.test(key) ? context.store.get(object, Number(key)) : undefined;
}

/** Gives a reversed payment's applied credit back to both records (`reverse_arpayment`). */
export function unapplyCredit(detail: Row, context: FunctionContext): void {
  const amount = parseDecimal(detail.TRX_ADJUSTMENTAMOUNT ?? '0') ?? 0n;
  const credit = findRecord(context, 'ARADJUSTMENT', detail.ADJUSTMENTKEY ?? '');
  const paid =
    detail.POSADJKEY !== undefined
      ? findRecord(context, 'ARADJUSTMENT', detail.POSADJKEY)
      : findRecord(context, 'ARINVOICE', detail.RECORDKEY ?? '');
  if (credit) settle(context, 'ARADJUSTMENT', credit, amount);
  if (paid) settle(context, detail.POSADJKEY !== undefined ? 'ARADJUSTMENT' : 'ARINVOICE', paid, -amount);
}

/** Moves `amount` of a record from due to paid (negative for a credit memo, whose balance is negative). */
function settle(context: FunctionContext, object: string, row: Row, amount: bigint): void {
  const due = (parseDecimal(row.TOTALDUE ?? '0') ?? 0n) - amount;
  const paid = (parseDecimal(row.TOTALPAID ?? '0') ?? 0n) + amount;
  context.store.update(object, Number(row.RECORDNO), {
    TOTALDUE: formatDecimal(due),
    TOTALPAID: formatDecimal(paid),
    STATE: due === 0n ? 'Paid' : paid === 0n ? 'Posted' : 'Partially Paid',
  });
}
