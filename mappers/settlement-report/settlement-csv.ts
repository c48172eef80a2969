import { CsvError, parse } from 'csv-parse/sync';
import type { PayoutLine } from '../../workflows/payout-reconcile-contract.js';

/**
 * What every settlement-report reader shares: a bad row in words, a line read from a row, and
 * the CSV records with the line number a text editor or spreadsheet shows for each.
 */

/** One problem in an imported settlement file. `row` counts lines from 1 as a spreadsheet shows them. */
export interface SettlementRowError {
  row: number;
  /** The column's header as the file names it, when the problem is one cell. */
  column?: string;
  /** The cell's text as found (absent when the cell is missing). */
  value?: string;
  /** Why the row cannot be imported, in words. */
  reason: string;
}

/** A payout line read from one row, with what the row says about the payout it belongs to. */
export interface SettlementLineRead {
  row: number;
  line: PayoutLine;
  currency: string;
  /** The column the currency came from (for naming it in a mixed-currency error). */
  currencyColumn: string;
  /** The payout the row names, when the file carries payout ids. */
  payoutId?: string;
  /** The date the row's payout arrives, when the file carries it (YYYY-MM-DD). */
  payoutDate?: string;
}

/** A row that states the payout itself (PayPal's withdrawal to the bank): its id, amount and date. */
export interface StatedPayout {
  row: number;
  payoutId: string;
  currency: string;
  /** What was paid to the bank, in minor units, positive. */
  amount: number;
  date: string;
}

/** What a template's reader gives back: lines, the payouts the file states, and every bad row. */
export interface SettlementRead {
  lines: SettlementLineRead[];
  statedPayouts: StatedPayout[];
  errors: SettlementRowError[];
}

/** A CSV record and the line it starts on. */
export interface CsvRecord {
  cells: string[];
  line: number;
}

/**
 * Splits CSV text into records. A UTF-8 byte order mark, CRLF line ends, quoted cells with
 * line breaks and rows of differing lengths are accepted; rows whose cells are all empty are
 * dropped (spreadsheets leave them below the data). Broken quoting is one error for the file.
 */
export function readCsvRecords(text: string, delimiter = ','): { records: CsvRecord[] } | { error: SettlementRowError } {
  let parsed: Array<{ record: string[]; raw: string }>;
  try {
    // With `raw`, csv-parse yields { record, raw } pairs; counting line breaks in `raw` gives
    // each record the line an editor shows, even after quoted cells that hold line breaks.
    parsed = parse(text, { bom: true, raw: true, relax_column_count: true, delimiter }) as unknown as typeof parsed;
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    const row = typeof error.lines === 'number' ? error.lines : 1;
    return { error: { row, reason: `the file is not valid CSV: ${error.message}` } };
  }
  const records: CsvRecord[] = [];
  let line = 1;
  for (const { record, raw } of parsed) {
    if (record.some((cell) => cell.trim() !== '')) records.push({ cells: record.map((cell) => cell.trim()), line });
    line += raw.match(/\r\n|\r|\n/g)?.length ?? 0;
  }
  return { records };
}

/**
 * The fee as the contract holds it (taken, never negative). A processor that hands a fee back
 * (a refund whose fee is returned) reports a negative fee; that return becomes a line of its own,
 * kind `fee`, so every line keeps `net = gross − fee` and the lines still sum to the payout.
 */
export function splitReturnedFee(line: PayoutLine): PayoutLine[] {
  if (line.fee >= 0) return [line];
  const returned = -line.fee;
  return [
    { ...line, fee: 0, net: line.gross },
    {
      lineId: `${line.lineId}:fee-returned`,
      kind: 'fee',
      gross: returned,
      fee: 0,
      net: returned,
      ...(line.paymentReference !== undefined && { paymentReference: line.paymentReference }),
      occurredAt: line.occurredAt,
      description: `fee returned on ${line.lineId}`,
    },
  ];
}
