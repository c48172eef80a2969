import type { PayoutLine, PayoutLineKind } from '../../workflows/payout-reconcile-contract.js';
import { calendarDateOf, readCurrency, readHundredthsAmount, readTimestamp } from './cell-readers.js';
import {
  readCsvRecords,
  splitReturnedFee,
  type SettlementLineRead,
  type SettlementRead,
  type SettlementRowError,
  type StatedPayout,
} from './settlement-csv.js';

/**
 * PayPal's Settlement report (STL, https://developer.paypal.com/docs/reports/sftp-reports/settlement-report/):
 * rows typed by their first cell — RH/FH/SH report, file and section headers, CH the section's
 * column names, SB one transaction, SF/SC/RF/RC/FF footers and counts. Amounts are unsigned
 * hundredths signed by a CR/DR column; each transaction carries a T-code saying what it is
 * (https://developer.paypal.com/docs/reports/reference/tcodes/). The withdrawal to the bank
 * (T04nn) is the payout itself; every other body row is one of its lines.
 */

const column = {
  transactionId: 'Transaction ID',
  invoiceId: 'Invoice ID',
  referenceId: 'PayPal Reference ID',
  referenceIdType: 'PayPal Reference ID Type',
  eventCode: 'Transaction Event Code',
  initiatedAt: 'Transaction Initiation Date',
  completedAt: 'Transaction Completion Date',
  grossIndicator: 'Transaction Debit or Credit',
  gross: 'Gross Transaction Amount',
  grossCurrency: 'Gross Transaction Currency',
  feeIndicator: 'Fee Debit or Credit',
  fee: 'Fee Amount',
  feeCurrency: 'Fee Currency',
  customField: 'Custom Field',
} as const;
type Column = keyof typeof column;

const requiredColumns: Column[] = ['transactionId', 'eventCode', 'initiatedAt', 'grossIndicator', 'gross', 'grossCurrency'];

/** T-codes named one by one; the rest are read by their event group (the first three characters). */
const kindByEventCode: Readonly<Record<string, PayoutLineKind>> = {
  T0106: 'dispute_fee', // chargeback processing fee
  T1106: 'chargeback', // payment reversal, initiated by PayPal
  T1107: 'refund', // payment refund, initiated by the merchant
  T1108: 'fee', // fee reversal
  T1110: 'reserve', // hold for dispute investigation
  T1111: 'reserve', // cancellation of a hold for dispute resolution
  T1201: 'chargeback',
  T1202: 'chargeback_reversal',
  T1205: 'chargeback_reversal', // reimbursement of chargeback
  T1207: 'chargeback', // chargeback re-presentment rejection
  T1208: 'chargeback_reversal', // chargeback cancellation
};
const kindByEventGroup: Readonly<Record<string, PayoutLineKind>> = {
  T00: 'charge', // PayPal account-to-PayPal account payments
  T01: 'fee', // non-payment-related fees
  T12: 'adjustment', // account adjustments not named above
  T15: 'reserve', // holds and releases
  T21: 'reserve', // reserves and releases
};
const withdrawalGroup = 'T04';

/** Reads a PayPal settlement report into payout lines and the withdrawal(s) it states. */
export function readPayPalSettlement(text: string): SettlementRead {
  const csv = readCsvRecords(text);
  if ('error' in csv) return { lines: [], statedPayouts: [], errors: [csv.error] };
  const lines: SettlementLineRead[] = [];
  const statedPayouts: StatedPayout[] = [];
  const errors: SettlementRowError[] = [];
  let positions: Map<Column, number> | undefined;

  for (const { cells, line: row } of csv.records) {
    const rowType = cells[0] ?? '';
    if (['RH', 'FH', 'SH', 'SF', 'SC', 'RF', 'RC', 'FF'].includes(rowType)) continue;
    if (rowType === 'CH') {
      const found = columnPositions(cells);
      if ('missing' in found) {
        errors.push({ row, reason: `the column header (CH) row lacks ${found.missing.join(', ')}` });
        positions = undefined;
      } else positions = found.positions;
      continue;
    }
    if (rowType !== 'SB') {
      errors.push({
        row,
        column: 'row type',
        value: rowType,
        reason: 'not a settlement report row type (RH, FH, SH, CH, SB, SF, SC, RF, RC, FF)',
      });
      continue;
    }
    if (positions === undefined) {
      errors.push({ row, reason: 'a transaction (SB) row before a good column header (CH) row' });
      continue;
    }
    const at = positions;
    const read = (name: Column) => (at.has(name) ? (cells[at.get(name)!] ?? '') : '');
    const read1 = readBodyRow(row, read);
    if ('errors' in read1) errors.push(...read1.errors);
    else if ('stated' in read1) {
      statedPayouts.push(read1.stated);
      if (read1.withdrawalFee) lines.push(read1.withdrawalFee);
    } else lines.push(...read1.lines);
  }
  if (positions === undefined && lines.length === 0 && statedPayouts.length === 0 && errors.length === 0)
    errors.push({ row: 1, reason: 'no column header (CH) row: is this a PayPal settlement report?' });
  return { lines, statedPayouts, errors };
}

function columnPositions(cells: string[]): { positions: Map<Column, number> } | { missing: string[] } {
  // Some exports write "Transaction  Debit or Credit" with two spaces: compare words, not spacing.
  const normalise = (name: string) => name.replace(/\s+/g, ' ').trim().toLowerCase();
  const byName = new Map(cells.map((name, index) => [normalise(name), index]));
  const positions = new Map<Column, number>();
  for (const [key, name] of Object.entries(column) as Array<[Column, string]>) {
    const index = byName.get(normalise(name));
    if (index !== undefined) positions.set(key, index);
  }
  const missing = requiredColumns.filter((key) => !positions.has(key)).map((key) => column[key]);
  return missing.length > 0 ? { missing } : { positions };
}

type BodyRow =
  { errors: SettlementRowError[] } | { stated: StatedPayout; withdrawalFee?: SettlementLineRead } | { lines: SettlementLineRead[] };

function readBodyRow(row: number, read: (name: Column) => string): BodyRow {
  const errors: SettlementRowError[] = [];
  const bad = (name: Column, reason: string) => {
    const value = read(name);
    errors.push({ row, column: column[name], ...(value !== '' && { value }), reason });
  };
  const transactionId = read('transactionId');
  if (transactionId === '') bad('transactionId', 'the transaction id is missing');
  const eventCode = read('eventCode').toUpperCase();
  const isWithdrawal = eventCode.startsWith(withdrawalGroup);
  const kind = kindByEventCode[eventCode] ?? kindByEventGroup[eventCode.slice(0, 3)];
  if (!isWithdrawal && kind === undefined) bad('eventCode', 'unknown category: a transaction event code the PayPal template does not map');
  const currency = readCurrency(read('grossCurrency'));
  if (!currency.ok) bad('grossCurrency', currency.reason);
  const dateColumn: Column = read('completedAt') !== '' ? 'completedAt' : 'initiatedAt';
  const occurredAt = readTimestamp(read(dateColumn), 'paypal');
  if (!occurredAt.ok) bad(dateColumn, occurredAt.reason);
  let gross: number | undefined;
  let fee = 0;
  if (currency.ok) {
    const grossAmount = readHundredthsAmount(read('gross'), read('grossIndicator'), currency.value);
    if (grossAmount.ok) gross = grossAmount.value;
    else bad(grossAmount.reason.startsWith('the debit') ? 'grossIndicator' : 'gross', grossAmount.reason);
    if (read('fee') !== '' && read('fee') !== '0') {
      if (read('feeCurrency') !== '' && read('feeCurrency').toUpperCase() !== currency.value)
        bad('feeCurrency', `the fee is in another currency than the gross amount (${currency.value})`);
      const feeAmount = readHundredthsAmount(read('fee'), read('feeIndicator'), currency.value);
      // A fee debited (DR) is taken from the merchant; credited back (CR) it is returned.
      if (feeAmount.ok) fee = -feeAmount.value;
      else bad(feeAmount.reason.startsWith('the debit') ? 'feeIndicator' : 'fee', feeAmount.reason);
    }
  }
  if (errors.length > 0 || gross === undefined || !currency.ok || !occurredAt.ok) return { errors };

  if (isWithdrawal) {
    if (gross > 0)
      return { errors: [{ row, column: column.grossIndicator, value: 'CR', reason: 'a withdrawal to the bank is a debit (DR)' }] };
    const stated = { row, payoutId: transactionId, currency: currency.value, amount: -gross, date: calendarDateOf(occurredAt.value) };
    if (fee === 0) return { stated };
    const feeLine: PayoutLine = {
      lineId: `${transactionId}:fee`,
      kind: 'fee',
      gross: -fee,
      fee: 0,
      net: -fee,
      occurredAt: occurredAt.value,
    };
    return { stated, withdrawalFee: { row, line: feeLine, currency: currency.value, currencyColumn: column.grossCurrency } };
  }
  // A refund or reversal names the payment it undoes in PayPal Reference ID (type TXN).
  const reference = read('referenceIdType').toUpperCase() === 'TXN' && read('referenceId') !== '' ? read('referenceId') : transactionId;
  const orderReference = read('invoiceId') || read('customField');
  const line: PayoutLine = {
    lineId: transactionId,
    kind: kind!,
    gross,
    fee,
    net: gross - fee,
    ...(kind === 'charge' || kind === 'refund' || kind?.startsWith('chargeback') ? { paymentReference: reference } : {}),
    ...(orderReference !== '' && { orderReference: orderReference.slice(0, 200) }),
    occurredAt: occurredAt.value,
    description: `PayPal ${eventCode}`,
  };
  return {
    lines: splitReturnedFee(line).map((part) => ({ row, line: part, currency: currency.value, currencyColumn: column.grossCurrency })),
  };
}
