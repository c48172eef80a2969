import { stringify } from 'csv-stringify/sync';
import type { PeriodReconciliationReport } from '../workflows/period-reconcile-contract.js';
import { formatAmount } from './money.js';

/** The columns of the report as CSV: one sheet, a `section` column telling the parts apart. */
export const periodCsvColumns = [
  'section',
  'gateway',
  'currency',
  'reference',
  'date',
  'state',
  'gross',
  'refunds',
  'chargebacks',
  'fees',
  'adjustments',
  'net',
  'variance',
  'deposit_key',
  'journal_keys',
  'line',
  'amount',
  'explanation',
] as const;

type Column = (typeof periodCsvColumns)[number];
type Row = Partial<Record<Column, string>>;

// Spreadsheets run a text cell starting with one of these as a formula (OWASP "CSV injection").
const formulaTriggers = new Set(['=', '+', '-', '@', '\t', '\r']);
/** Text from outside (order ids, explanations) with a leading quote when a spreadsheet would run it; amounts are written by {@link formatAmount} and left as numbers. */
const text = (value: string): string => (formulaTriggers.has(value.charAt(0)) ? `'${value}` : value);

/**
 * The report as one CSV sheet a controller opens in a spreadsheet (pure): the payout register
 * with its total, the clearing roll-forward line by line (the opening saying where it came from),
 * the cut-off, the payments paid but in no payout after the tenant's days, the open disputes, the
 * documents comparison and every difference. Amounts in major units with the currency's decimals,
 * CRLF line ends (RFC 4180); the same report always gives the same bytes.
 */
export function toPeriodReconciliationCsv(report: PeriodReconciliationReport): string {
  const rows: Row[] = [];
  for (const section of report.gateways) {
    const { gateway, currency } = section;
    const money = (amount: number) => formatAmount(amount, currency);
    const base = { gateway: text(gateway), currency };
    for (const row of section.register)
      rows.push({
        section: 'payout register',
        ...base,
        reference: text(row.payoutId),
        date: row.postingDate,
        state: row.state,
        gross: money(row.gross),
        refunds: money(row.refunds),
        chargebacks: money(row.chargebacks),
        fees: money(row.fees),
        adjustments: money(row.adjustments),
        net: money(row.net),
        variance: money(row.variance),
        deposit_key: text(row.depositKey ?? ''),
        journal_keys: text(row.journalKeys.join(' ')),
        explanation: text(row.variances.join('; ')),
      });
    const totals = section.registerTotals;
    rows.push({
      section: 'payout register total',
      ...base,
      gross: money(totals.gross),
      refunds: money(totals.refunds),
      chargebacks: money(totals.chargebacks),
      fees: money(totals.fees),
      adjustments: money(totals.adjustments),
      net: money(totals.net),
      variance: money(totals.variance),
    });
    const roll = section.rollForward;
    const rollLines: Array<[string, number]> = [
      ['opening', roll.opening],
      ['captured (+)', roll.captured],
      ['refunded (-)', roll.refunded],
      ['fees (-)', roll.fees],
      ['chargebacks (-)', roll.chargebacks],
      ['adjustments (+)', roll.adjustments],
      ['paid out (-)', roll.paidOut],
      ['closing (=)', roll.closing],
      ['payments not yet paid out', roll.notYetPaidOut],
      ['closing less payments not yet paid out', roll.differenceFromNotYetPaidOut],
    ];
    const openingFrom = roll.openingFrom;
    const openingSource =
      openingFrom === undefined
        ? undefined
        : openingFrom.source === 'previousReport'
          ? `the closing of ${openingFrom.period} (revision ${openingFrom.revision})`
          : `from the records: ${openingFrom.reason}`;
    for (const [line, amount] of rollLines)
      rows.push({
        section: 'clearing roll-forward',
        ...base,
        reference: text(section.clearingAccountNo),
        date: report.to,
        line: text(line),
        amount: money(amount),
        ...(line === 'opening' && openingSource !== undefined && { explanation: text(openingSource) }),
      });
    const gl = roll.intacct;
    if (gl.compared)
      rows.push(
        {
          section: 'clearing in Intacct GL',
          ...base,
          reference: text(gl.accountNo),
          date: report.to,
          line: 'GL balance',
          amount: money(gl.balance),
        },
        {
          section: 'clearing in Intacct GL',
          ...base,
          reference: text(gl.accountNo),
          line: 'payouts not posted yet',
          amount: money(gl.explainedByUnpostedPayouts),
        },
        { section: 'clearing in Intacct GL', ...base, reference: text(gl.accountNo), line: 'unexplained', amount: money(gl.unexplained) },
      );
    else
      rows.push({
        section: 'clearing in Intacct GL',
        ...base,
        reference: text(gl.accountNo),
        line: 'not compared',
        explanation: text(gl.reason),
      });
    for (const item of section.cutOff.soldNotPaidOut)
      rows.push({
        section: 'cut-off: sold, not paid out',
        ...base,
        reference: text(item.orderId),
        date: item.capturedOn,
        line: text(item.paymentReference),
        amount: money(item.amount),
      });
    for (const item of section.cutOff.paidOutSoldEarlier)
      rows.push({
        section: 'cut-off: paid out, sold earlier',
        ...base,
        reference: text(item.orderId),
        date: item.capturedOn,
        line: text(item.paymentReference),
        amount: money(item.amount),
        explanation: text(`paid out in ${item.payoutId ?? ''} on ${item.paidOutOn ?? ''}`),
      });
    for (const item of section.unpaidOut?.payments ?? [])
      rows.push({
        section: `paid but in no payout after ${section.unpaidOut!.afterDays} days`,
        ...base,
        reference: text(item.orderId),
        date: item.capturedOn,
        line: text(item.paymentReference),
        amount: money(item.amount),
        explanation: text(`${item.daysWaiting} days without a payout at ${section.unpaidOut!.asOf}`),
      });
    for (const dispute of section.openDisputes)
      rows.push({
        section: 'open dispute',
        ...base,
        reference: text(dispute.disputeId),
        date: dispute.openedOn,
        state: text(dispute.status),
        line: text(dispute.paymentReference ?? ''),
        amount: formatAmount(dispute.amount, dispute.currency),
        chargebacks: formatAmount(dispute.withdrawn, dispute.currency),
      });
  }
  const documents = report.documents;
  const documentLines: Array<[string, number, number | undefined]> = [
    ['orders recorded', documents.orders.recorded, undefined],
    ['orders posted', documents.orders.posted, undefined],
    ['orders unposted', documents.orders.unposted, undefined],
    ['orders cancelled or skipped', documents.orders.cancelledOrSkipped, undefined],
    ['Intacct documents', documents.intacctDocuments.count, documents.intacctDocuments.amount],
    ['Intacct documents missing', documents.intacctDocuments.missing, undefined],
    ['Intacct documents duplicated', documents.intacctDocuments.duplicated, undefined],
    ['payments posted', documents.payments.count, documents.payments.amount],
    ['payments unposted', documents.payments.unposted.count, documents.payments.unposted.amount],
    ['refunds posted (credit memos)', documents.refunds.count, documents.refunds.amount],
    ['refunds unposted', documents.refunds.unposted.count, documents.refunds.unposted.amount],
  ];
  for (const [line, count, amount] of documentLines)
    rows.push({
      section: 'documents',
      currency: documents.currency,
      line,
      state: String(count),
      ...(amount !== undefined && { amount: formatAmount(amount, documents.currency) }),
    });
  for (const difference of report.differences)
    rows.push({
      section: `difference: ${difference.area}`,
      ...(difference.gateway !== undefined && { gateway: text(difference.gateway) }),
      ...(difference.figures !== undefined && {
        currency: difference.figures.currency,
        amount: formatAmount(difference.figures.difference, difference.figures.currency),
      }),
      reference: text(difference.reference),
      line: difference.kind,
      explanation: text(difference.explanation),
    });
  return stringify([[...periodCsvColumns], ...rows.map((row) => periodCsvColumns.map((column) => row[column] ?? ''))], {
    record_delimiter: '\r\n',
    quoted_match: /[\r\n]/,
  });
}
