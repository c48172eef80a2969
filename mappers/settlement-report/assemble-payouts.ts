import { processorPayoutSchema, type ProcessorName, type ProcessorPayout } from '../../workflows/payout-reconcile-contract.js';
import { readDecimalAmount } from './cell-readers.js';
import type { SettlementLineRead, SettlementRead, SettlementRowError, StatedPayout } from './settlement-csv.js';

/** What the request adds to a file: where the payout posts, and what the file may not carry itself. */
export interface SettlementImportRequest {
  gateway: string;
  /** The payout's id when the file carries none (a tenant's export, a PayPal file without its withdrawal). */
  payoutId?: string | undefined;
  /** The amount paid to the bank, in major units ("1234.56"), when the file does not state it. */
  payoutAmount?: string | undefined;
  /** The date the payout arrived (YYYY-MM-DD), when the file does not carry it. */
  payoutDate?: string | undefined;
  /**
   * The payout's currency, for a file that covers several balances (PayPal's report has a
   * section per currency): rows in other currencies belong to other payouts and are left out.
   */
  currency?: string | undefined;
}

/**
 * Groups read lines into payouts and checks what no single row can show: a line id given twice,
 * a currency changing within a payout, a row with no payout to belong to. The payout's amount is
 * what the file (or the request) states was paid; when none is stated it is the lines' sum.
 * Lines that do not sum to a stated amount are not an error here: {@link payoutLinesDifference}
 * shows it, and the variance step explains it.
 */
export function assemblePayouts(
  read: SettlementRead,
  processor: ProcessorName,
  request: SettlementImportRequest,
): { payouts: ProcessorPayout[]; errors: SettlementRowError[] } {
  const errors = [...read.errors];
  const firstRowOfLine = new Map<string, number>();
  for (const { row, line } of read.lines) {
    const earlier = firstRowOfLine.get(line.lineId);
    if (earlier !== undefined && earlier !== row)
      errors.push({ row, value: line.lineId, reason: `duplicate line id: first given on row ${earlier}` });
    else firstRowOfLine.set(line.lineId, row);
  }

  const inCurrency = <T extends { currency: string }>(items: T[]) =>
    request.currency === undefined ? items : items.filter((item) => item.currency === request.currency);
  const stated = new Map<string, StatedPayout>();
  for (const payout of inCurrency(read.statedPayouts)) {
    if (request.payoutId !== undefined && payout.payoutId !== request.payoutId)
      errors.push({
        row: payout.row,
        value: payout.payoutId,
        reason: `the file's payout is not ${request.payoutId}, named in the request`,
      });
    else if (stated.has(payout.payoutId))
      errors.push({ row: payout.row, value: payout.payoutId, reason: `duplicate line id: the payout is stated twice` });
    else stated.set(payout.payoutId, payout);
  }
  // A stated payout (PayPal's withdrawal) lends its id to the lines of its currency; a file that
  // states only one lends it to every line (lines in another currency are then named as mixed).
  const statedIn = (currency: string) => [...stated.values()].filter((payout) => payout.currency === currency);
  const payoutOf = (line: SettlementLineRead): string | undefined => {
    if (line.payoutId !== undefined) return line.payoutId;
    if (request.payoutId !== undefined) return request.payoutId;
    const sameCurrency = statedIn(line.currency);
    if (sameCurrency.length === 1) return sameCurrency[0]!.payoutId;
    return stated.size === 1 ? [...stated.keys()][0] : undefined;
  };

  const groups = new Map<string, SettlementLineRead[]>();
  for (const line of inCurrency(read.lines)) {
    const payoutId = payoutOf(line);
    if (payoutId === undefined) {
      errors.push({ row: line.row, reason: 'missing id: the row names no payout, the file states none and the request gives no payoutId' });
      continue;
    }
    const group = groups.get(payoutId);
    if (group) group.push(line);
    else groups.set(payoutId, [line]);
  }
  for (const id of stated.keys()) if (!groups.has(id)) groups.set(id, []);
  if (groups.size === 0 && errors.length === 0)
    errors.push({ row: 1, reason: `the file holds no payout lines${request.currency === undefined ? '' : ` in ${request.currency}`}` });
  if (request.payoutAmount !== undefined && groups.size > 1)
    errors.push({ row: 1, reason: `the request states one payout amount but the file holds ${groups.size} payouts` });

  const payouts: ProcessorPayout[] = [];
  for (const [payoutId, lines] of groups) {
    const statement = stated.get(payoutId);
    const currency = statement?.currency ?? lines[0]?.currency;
    const firstRow = statement?.row ?? lines[0]?.row;
    for (const line of lines)
      if (line.currency !== currency)
        errors.push({
          row: line.row,
          column: line.currencyColumn,
          value: line.currency,
          reason: `currency mixed within a payout: payout ${payoutId} is in ${currency} (row ${firstRow})`,
        });
    if (currency === undefined) continue;
    const payout = buildPayout(processor, request, payoutId, currency, lines, statement, errors);
    if (payout) payouts.push(payout);
  }
  errors.sort((left, right) => left.row - right.row);
  return errors.length > 0 ? { payouts: [], errors } : { payouts, errors: [] };
}

function buildPayout(
  processor: ProcessorName,
  request: SettlementImportRequest,
  payoutId: string,
  currency: string,
  lines: SettlementLineRead[],
  statement: StatedPayout | undefined,
  errors: SettlementRowError[],
): ProcessorPayout | undefined {
  const linesNet = lines.reduce((sum, { line }) => sum + line.net, 0);
  let amount = statement?.amount ?? linesNet;
  if (request.payoutAmount !== undefined) {
    const requested = readDecimalAmount(request.payoutAmount, currency, { decimalSeparator: '.' });
    if (!requested.ok) {
      errors.push({ row: 1, column: 'payoutAmount (request)', value: request.payoutAmount, reason: requested.reason });
      return undefined;
    }
    amount = requested.value;
  }
  const latestLineDate = lines
    .map(({ line }) => line.occurredAt.slice(0, 10))
    .sort()
    .at(-1);
  const arrivalDate = statement?.date ?? lines.find((line) => line.payoutDate)?.payoutDate ?? request.payoutDate ?? latestLineDate;
  if (arrivalDate === undefined) {
    errors.push({ row: statement?.row ?? 1, reason: `payout ${payoutId} has no date: give payoutDate in the request` });
    return undefined;
  }
  const candidate = {
    processor,
    gateway: request.gateway,
    payoutId,
    status: 'paid' as const,
    currency,
    amount,
    createdDate: arrivalDate,
    arrivalDate,
    lines: lines.map(({ line }) => line),
  };
  const checked = processorPayoutSchema.safeParse(candidate);
  if (!checked.success) {
    for (const issue of checked.error.issues)
      errors.push({ row: statement?.row ?? lines[0]?.row ?? 1, reason: `payout ${payoutId}: ${issue.path.join('.')} ${issue.message}` });
    return undefined;
  }
  return checked.data;
}

/** The payout's amount minus the sum of its lines' nets: 0 when the lines explain the payout. */
export function payoutLinesDifference(payout: ProcessorPayout): number {
  return payout.amount - payout.lines.reduce((sum, line) => sum + line.net, 0);
}
