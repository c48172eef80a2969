import { formatDecimal, parseDecimal } from '../decimal.js';
import { child, childText, childrenNamed } from '../xml-tree.js';
import { unapplyCredit } from './receivable-applications.js';
import {
  checkDimensions,
  ensureOpenPeriod,
  entityOwnerFields,
  legacyDateOf,
  requireActive,
  toUsDate,
  type FunctionHandler,
} from './context.js';
import { bankGlAccount, postToLedger, receiptAccount, receivablesAccount, type LedgerLine } from './ledger-postings.js';

/**
 * `create_arpayment`: a cash receipt into a bank account or undeposited funds, applied to AR
 * invoices of the same customer (by ARINVOICE RECORDNO). Applying more than an invoice's
 * balance, or more than the payment, fails. The key is the payment's RECORDNO.
 */
export const createArpayment: FunctionHandler = (body, context) => {
  const customerId = childText(body, 'customerid') ?? '';
  requireActive(context, 'CUSTOMER', 'Customer', customerId);
  const rawAmount = childText(body, 'paymentamount') ?? '';
  const amount = parseDecimal(rawAmount);
  if (amount === undefined || amount <= 0n)
    throw context.errors.fail('validation', `Payment amount ${rawAmount} must be a positive number.`);
  const bank = childText(body, 'bankaccountid');
  const undeposited = childText(body, 'undepfundsacct');
  if (bank !== undefined) requireActive(context, 'CHECKINGACCOUNT', 'Bank account', bank);
  else if (undeposited !== undefined) requireActive(context, 'GLACCOUNT', 'Account', undeposited);
  else if (childText(body, 'batchkey') === undefined)
    throw context.errors.fail('validation', 'A bank account, undeposited funds account or batch key is required.');
  const date = legacyDateOf(child(body, 'datereceived'), 'datereceived', context) ?? context.now.toISOString().slice(0, 10);
  ensureOpenPeriod(date, context);
  const method = childText(body, 'paymentmethod') ?? '';
  const methods = ['Printed Check', 'Cash', 'EFT', 'Credit Card', 'Online Charge Card', 'Online ACH Debit', 'Check'];
  if (!methods.includes(method))
    throw context.errors.fail('validation', `Invalid payment method ${method || '(missing)'}`, `Use one of: ${methods.join(', ')}.`);
  const applications = childrenNamed(body, 'arpaymentitem');
  let applied = 0n;
  const paymentNo = context.store.insert('ARPYMT', {
    ...entityOwnerFields(context),
    CUSTOMERID: customerId,
    DOCNUMBER: childText(body, 'refid') ?? '',
    PAYMENTMETHOD: method,
    TOTALENTERED: formatDecimal(amount),
    RECEIPTDATE: toUsDate(date),
    FINANCIALENTITY: bank ?? '',
    UNDEPOSITEDACCOUNTNO: undeposited ?? '',
    CURRENCY: childText(body, 'currency') ?? 'USD',
    STATE: 'Posted',
  });
  for (const application of applications) {
    const invoiceKey = childText(application, 'invoicekey') ?? '';
    const invoice = /^\d+$/.test(invoiceKey) ? context.store.get('ARINVOICE', Number(invoiceKey)) : undefined;
    if (!invoice) throw context.errors.invalidReference('Invoice', invoiceKey);
    if (invoice.CUSTOMERID !== customerId)
      throw context.errors.fail('validation', `Invoice ${invoiceKey} belongs to customer ${invoice.CUSTOMERID}, not ${customerId}.`);
    const rawApplied = childText(application, 'amount') ?? '';
    const share = parseDecimal(rawApplied);
    if (share === undefined || share <= 0n)
      throw context.errors.fail('validation', `Applied amount ${rawApplied} must be a positive number.`);
    const due = parseDecimal(invoice.TOTALDUE ?? '0') ?? 0n;
    if (share > due)
      throw context.errors.fail(
        'overApplied',
        `The amount applied to invoice ${invoiceKey} (${formatDecimal(share)}) exceeds its amount due (${formatDecimal(due)}).`,
        'Apply no more than the amount due.',
      );
    applied += share;
    context.store.update('ARINVOICE', Number(invoiceKey), {
      TOTALDUE: formatDecimal(due - share),
      TOTALPAID: formatDecimal((parseDecimal(invoice.TOTALPAID ?? '0') ?? 0n) + share),
      STATE: due - share === 0n ? 'Paid' : 'Partially Paid',
    });
    context.store.insert('ARPYMTDETAIL', { PAYMENTKEY: String(paymentNo), RECORDKEY: invoiceKey, TRX_PAYMENTAMOUNT: formatDecimal(share) });
  }
  if (applied > amount)
    throw context.errors.fail(
      'overApplied',
      `Applied amounts (${formatDecimal(applied)}) exceed the payment amount (${formatDecimal(amount)}).`,
    );
  const cash = bank !== undefined ? bankGlAccount(context, bank) : undeposited;
  if (cash !== undefined) postReceipt(context, paymentNo, date, cash, amount, 'receipt');
  return { key: String(paymentNo) };
};

/** `reverse_arpayment`: gives the applied amounts back to the invoices and marks the payment reversed. */
export const reverseArpayment: FunctionHandler = (body, context) => {
  const key = body.attributes.key ?? '';
  const payment = /^\d+$/.test(key) ? context.store.get('ARPYMT', Number(key)) : undefined;
  if (!payment) throw context.errors.fail('recordNotFound', `Could not find payment ${key} to reverse.`);
  if (payment.STATE === 'Reversed') throw context.errors.fail('validation', `Payment ${key} is already reversed.`);
  const date = legacyDateOf(child(body, 'datereversed'), 'datereversed', context)!;
  ensureOpenPeriod(date, context);
  for (const detail of context.store.where('ARPYMTDETAIL', 'PAYMENTKEY', key)) {
    if (detail.ADJUSTMENTKEY !== undefined) {
      unapplyCredit(detail, context);
      continue;
    }
    const invoice = context.store.get('ARINVOICE', Number(detail.RECORDKEY));
    if (!invoice) continue;
    const share = parseDecimal(detail.TRX_PAYMENTAMOUNT ?? '0') ?? 0n;
    const paid = (parseDecimal(invoice.TOTALPAID ?? '0') ?? 0n) - share;
    context.store.update('ARINVOICE', Number(detail.RECORDKEY), {
      TOTALDUE: formatDecimal((parseDecimal(invoice.TOTALDUE ?? '0') ?? 0n) + share),
      TOTALPAID: formatDecimal(paid),
      STATE: paid === 0n ? 'Posted' : 'Partially Paid',
    });
  }
  const amount = parseDecimal(payment.TOTALENTERED ?? '0') ?? 0n;
  if (amount > 0n) postReceipt(context, Number(key), date, receiptAccount(context, payment), amount, 'reversal');
  context.store.update('ARPYMT', Number(key), {
    STATE: 'Reversed',
    REVERSALDATE: toUsDate(date),
    REVERSALDESCRIPTION: childText(body, 'description') ?? '',
  });
  return {};
};

/** `create_aradjustment`: a credit (negative) or debit memo on known GL accounts; the key is its RECORDNO. */
export const createAradjustment: FunctionHandler = (body, context) => {
  const customerId = childText(body, 'customerid') ?? '';
  requireActive(context, 'CUSTOMER', 'Customer', customerId);
  const date = legacyDateOf(child(body, 'datecreated'), 'datecreated', context)!;
  ensureOpenPeriod(date, context);
  const number = childText(body, 'adjustmentno') ?? '';
  if (number !== '' && context.store.getById('ARADJUSTMENT', number))
    throw context.errors.fail('duplicateDocumentNumber', `Adjustment number ${number} already exists.`, 'Use a unique adjustment number.');
  let total = 0n;
  const ledgerLines: LedgerLine[] = [];
  for (const [index, line] of childrenNamed(child(body, 'aradjustmentitems'), 'lineitem').entries()) {
    const account = childText(line, 'glaccountno');
    if (account === undefined) throw context.errors.fail('unsupported', 'The sandbox knows GL accounts by number only; use glaccountno.');
    requireActive(context, 'GLACCOUNT', 'Account', account);
    checkDimensions(line, context, { location: 'locationid', department: 'departmentid' });
    const raw = childText(line, 'amount') ?? '';
    const amount = parseDecimal(raw);
    if (amount === undefined || amount === 0n)
      throw context.errors.fail('validation', `Line ${index + 1}: amount ${raw} must be a non-zero number.`);
    total += amount;
    // A debit memo line (positive) charges AR against its account, a credit memo line (negative) the reverse.
    ledgerLines.push({ account, direction: amount > 0n ? 'credit' : 'debit', amount: amount > 0n ? amount : -amount });
  }
  const recordNo = context.store.insert('ARADJUSTMENT', {
    RECORDID: number,
    CUSTOMERID: customerId,
    INVOICENO: childText(body, 'invoiceno') ?? '',
    DESCRIPTION: childText(body, 'description') ?? '',
    EXTERNALID: childText(body, 'externalid') ?? '',
    TOTALENTERED: formatDecimal(total),
    TOTALDUE: formatDecimal(total),
    STATE: 'Posted',
    WHENCREATED: toUsDate(date),
  });
  if (total !== 0n)
    ledgerLines.push({ account: receivablesAccount, direction: total > 0n ? 'debit' : 'credit', amount: total > 0n ? total : -total });
  postToLedger(context, {
    module: 'AR',
    journal: 'ARJ',
    date,
    title: `Adjustment ${number === '' ? recordNo : number}`,
    reference: number === '' ? String(recordNo) : number,
    source: `ARADJUSTMENT:${recordNo}`,
    lines: ledgerLines,
  });
  return { key: String(recordNo) };
};

/** A receipt's GL posting (module AR): cash in against receivables, or its reversal back out. */
function postReceipt(
  context: Parameters<FunctionHandler>[1],
  paymentNo: number,
  date: string,
  cashAccount: string,
  amount: bigint,
  kind: 'receipt' | 'reversal',
): void {
  const cashSide = kind === 'receipt' ? 'debit' : 'credit';
  postToLedger(context, {
    module: 'AR',
    journal: 'ARJ',
    date,
    title: `${kind === 'receipt' ? 'Receipt' : 'Receipt reversal'} ${paymentNo}`,
    reference: String(paymentNo),
    source: `ARPYMT:${paymentNo}`,
    lines: [
      { account: cashAccount, direction: cashSide, amount },
      { account: receivablesAccount, direction: cashSide === 'debit' ? 'credit' : 'debit', amount },
    ],
  });
}
