import type { PayoutLine } from '../../workflows/payout-reconcile-contract.js';
import { calendarDateOf, readCurrency, readDecimalAmount, readTimestamp, type CellResult } from './cell-readers.js';
import type { SettlementColumnMapping } from './column-mapping.js';
import {
  readCsvRecords,
  splitReturnedFee,
  type SettlementLineRead,
  type SettlementRead,
  type SettlementRowError,
} from './settlement-csv.js';

type Field = keyof SettlementColumnMapping['columns'];

/**
 * Columns that only inform (references, text, the payout's date) may be left out of a file: a
 * report's columns are often chosen by whoever downloads it. Columns that decide amounts or
 * identity may not: reading a missing fee column as no fee would post wrong money.
 */
const informativeFields: ReadonlySet<Field> = new Set(['paymentReference', 'orderReference', 'description', 'payoutDate']);

/**
 * Reads a settlement file laid out by a column mapping (a tenant's, or Stripe's itemized payout
 * reconciliation report): the header row first, then one row per balance movement. Every cell
 * of every row is checked; a row with any bad cell gives errors and no line.
 */
export function readMappedRows(text: string, mapping: SettlementColumnMapping): SettlementRead {
  const csv = readCsvRecords(text, mapping.delimiter);
  if ('error' in csv) return { lines: [], statedPayouts: [], errors: [csv.error] };
  const [headerRecord, ...dataRecords] = csv.records;
  if (headerRecord === undefined) return { lines: [], statedPayouts: [], errors: [{ row: 1, reason: 'the file is empty: no header row' }] };

  const positions = new Map(headerRecord.cells.map((name, index) => [name.toLowerCase(), index]));
  const columnOf = new Map<Field, Array<{ name: string; index: number }>>();
  const missing: string[] = [];
  for (const [field, names] of Object.entries(mapping.columns) as Array<[Field, string | string[] | undefined]>) {
    if (names === undefined) continue;
    const found = [names]
      .flat()
      .map((name) => ({ name, index: positions.get(name.toLowerCase()) }))
      .filter((column): column is { name: string; index: number } => column.index !== undefined);
    if (found.length > 0) columnOf.set(field, found);
    else if (!informativeFields.has(field)) missing.push([names].flat().join(' or '));
  }
  if (missing.length > 0)
    return {
      lines: [],
      statedPayouts: [],
      errors: [{ row: headerRecord.line, reason: `the header row lacks the column(s) ${missing.join(', ')} that the mapping reads` }],
    };

  const kindByValue = new Map(Object.entries(mapping.kinds).map(([value, kind]) => [value.toLowerCase(), kind]));
  const knownKinds = Object.keys(mapping.kinds).join(', ');
  const lines: SettlementLineRead[] = [];
  const errors: SettlementRowError[] = [];
  for (const { cells, line: row } of dataRecords) {
    const rowErrors: SettlementRowError[] = [];
    const cell = (field: Field): { column: string; value: string } | undefined => {
      const columns = columnOf.get(field);
      if (!columns) return undefined;
      const filled = columns.find((column) => (cells[column.index] ?? '') !== '');
      return { column: (filled ?? columns[0]!).name, value: filled ? cells[filled.index]! : '' };
    };
    const read = <T>(field: Field, reader: (value: string) => CellResult<T>): T | undefined => {
      const found = cell(field);
      if (!found) return undefined;
      const result = reader(found.value);
      if (result.ok) return result.value;
      rowErrors.push({ row, column: found.column, ...(found.value !== '' && { value: found.value }), reason: result.reason });
      return undefined;
    };
    const required = (field: Field, what: string): string | undefined =>
      read(field, (value) => (value === '' ? { ok: false, reason: `the ${what} is missing` } : { ok: true, value }));

    const lineId = required('lineId', 'line id');
    const kind = read('kind', (value) => {
      const mapped = kindByValue.get(value.toLowerCase());
      return mapped ? { ok: true, value: mapped } : { ok: false, reason: `unknown category: the mapping knows ${knownKinds}` };
    });
    const currency = columnOf.has('currency') ? read('currency', readCurrency) : mapping.currency;
    const style = { decimalSeparator: mapping.decimalSeparator, thousandsSeparator: mapping.thousandsSeparator };
    const amount = (field: Field) =>
      currency === undefined ? undefined : read(field, (value) => readDecimalAmount(value, currency, style));
    const gross = amount('gross');
    const feeCell = cell('fee');
    const fee = feeCell === undefined || feeCell.value === '' ? 0 : signedFee(amount('fee'), mapping);
    const net = columnOf.has('net') ? amount('net') : undefined;
    const occurredAt = read('occurredAt', (value) => readTimestamp(value, mapping.dateFormat));
    const payoutId = cell('payoutId')?.value;
    const payoutDate = cell('payoutDate')?.value ? read('payoutDate', (value) => readTimestamp(value, mapping.dateFormat)) : undefined;
    if (gross !== undefined && fee !== undefined && net !== undefined && net !== gross - fee)
      rowErrors.push({
        row,
        column: cell('net')!.column,
        value: cell('net')!.value,
        reason: `net ≠ gross − fee (gross ${cell('gross')!.value}, fee ${feeCell?.value || '0'}, net ${cell('net')!.value})`,
      });

    if (rowErrors.length > 0 || lineId === undefined || kind === undefined || currency === undefined) {
      errors.push(...rowErrors);
      continue;
    }
    const reference = cell('paymentReference')?.value;
    const orderReference = cell('orderReference')?.value;
    const description = cell('description')?.value;
    const line: PayoutLine = {
      lineId,
      kind,
      gross: gross!,
      fee: fee!,
      net: gross! - fee!,
      ...(reference && { paymentReference: reference }),
      ...(orderReference && { orderReference: orderReference.slice(0, 200) }),
      occurredAt: occurredAt!,
      ...(description && { description: description.slice(0, 500) }),
    };
    for (const part of splitReturnedFee(line))
      lines.push({
        row,
        line: part,
        currency,
        currencyColumn: cell('currency')?.column ?? 'currency',
        ...(payoutId && { payoutId }),
        ...(payoutDate && { payoutDate: calendarDateOf(payoutDate) }),
      });
  }
  return { lines, statedPayouts: [], errors };
}

/** The fee as taken (positive), whichever way the file signs it. */
function signedFee(written: number | undefined, mapping: SettlementColumnMapping): number | undefined {
  if (written === undefined) return undefined;
  return mapping.feeSign === 'negative' && written !== 0 ? -written : written;
}
