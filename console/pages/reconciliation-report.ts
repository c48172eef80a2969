import { formatAmount } from '../../mappers/money.js';
import type {
  ClearingRollForward,
  DocumentComparison,
  GatewayReconciliation,
  OpeningSource,
  PayoutRegisterRow,
  PeriodReconciliationReport,
  ReconciliationDifference,
} from '../../workflows/period-reconcile-contract.js';
import { html, type SafeHtml } from '../templates.js';

/**
 * One stored month's reconciliation drawn as the controller reads it: per gateway the payout
 * register with its totals, the clearing roll-forward and its comparison with Intacct's GL; the
 * orders against Intacct documents, payments and refunds; and every difference in words with
 * its figures. The same report the CSV is written from (`toPeriodReconciliationCsv`).
 */

/** Minor units as the currency's decimal amount, with its code. */
export function money(amount: number, currency: string): string {
  return `${formatAmount(amount, currency)} ${currency}`;
}

const registerColumns = ['gross', 'refunds', 'chargebacks', 'fees', 'adjustments', 'net', 'variance'] as const;

function registerRow(row: PayoutRegisterRow, currency: string): SafeHtml {
  return html`<tr>
    <td><code>${row.payoutId}</code> (${row.processor})</td>
    <td>${row.postingDate}</td>
    <td>${row.state}</td>
    ${registerColumns.map((column) => html`<td class="number">${formatAmount(row[column], currency)}</td>`)}
    <td>${row.depositKey ?? '—'}${row.journalKeys.length > 0 && html`<br />journals ${row.journalKeys.join(', ')}`}</td>
    <td>${row.variances.length === 0 ? '—' : row.variances.join(' ')}</td>
  </tr>`;
}

function registerTable(section: GatewayReconciliation, headingId: string): SafeHtml {
  const { currency } = section;
  if (section.register.length === 0) return html`<p>No payout of ${section.gateway} posts in this month.</p>`;
  return html`<table aria-labelledby="${headingId}">
    <thead>
      <tr>
        <th scope="col">Payout</th>
        <th scope="col">Posts on</th>
        <th scope="col">State</th>
        <th scope="col" class="number">Gross</th>
        <th scope="col" class="number">Refunds</th>
        <th scope="col" class="number">Chargebacks</th>
        <th scope="col" class="number">Fees</th>
        <th scope="col" class="number">Adjustments</th>
        <th scope="col" class="number">Net</th>
        <th scope="col" class="number">Variance</th>
        <th scope="col">Intacct deposit and journals</th>
        <th scope="col">Variances</th>
      </tr>
    </thead>
    <tbody>
      ${section.register.map((row) => registerRow(row, currency))}
    </tbody>
    <tfoot>
      <tr>
        <th scope="row" colspan="3">Total (${currency})</th>
        ${registerColumns.map((column) => html`<td class="number">${formatAmount(section.registerTotals[column], currency)}</td>`)}
        <td colspan="2"></td>
      </tr>
    </tfoot>
  </table>`;
}

/** Where the opening balance came from, in words; undefined for reports stored before it was recorded. */
function openingInWords(source: OpeningSource | undefined): string | undefined {
  if (source === undefined) return undefined;
  return source.source === 'previousReport'
    ? `the closing of ${source.period} (revision ${source.revision})`
    : `worked out from the records: ${source.reason}`;
}

function rollForwardFacts(rollForward: ClearingRollForward, currency: string): SafeHtml {
  const openingSource = openingInWords(rollForward.openingFrom);
  const lines: Array<[string, number]> = [
    ['Opening balance', rollForward.opening],
    ['Captured (payments recorded)', rollForward.captured],
    ['Refunded', -rollForward.refunded],
    ['Fees', -rollForward.fees],
    ['Chargebacks', -rollForward.chargebacks],
    ['Adjustments', rollForward.adjustments],
    ['Paid out', -rollForward.paidOut],
    ['Closing balance', rollForward.closing],
    ['Payments not yet paid out', rollForward.notYetPaidOut],
    ['Closing less not yet paid out', rollForward.differenceFromNotYetPaidOut],
  ];
  const { intacct } = rollForward;
  return html`<dl class="facts">
    ${
      openingSource !== undefined &&
      html`<dt>Opening balance from</dt>
        <dd>${openingSource}</dd>`
    }
    ${lines.map(
      ([name, value]) =>
        html`<dt>${name}</dt>
          <dd>${money(value, currency)}</dd>`,
    )}
    <dt>Intacct GL (account ${intacct.accountNo})</dt>
    <dd>
      ${
        intacct.compared
          ? `balance ${money(intacct.balance, currency)}, expected ${money(intacct.expected, currency)}, of which payouts not posted yet ${money(intacct.explainedByUnpostedPayouts, currency)}, unexplained ${money(intacct.unexplained, currency)}`
          : `not compared: ${intacct.reason}`
      }
    </dd>
  </dl>`;
}

/** The exception list: payments whose receipts are recorded that no payout included after the tenant's days. */
function unpaidOutList(section: GatewayReconciliation, index: number): SafeHtml {
  const { unpaidOut, currency } = section;
  if (unpaidOut === undefined) return html``;
  const headingId = `gateway-${index}-unpaid-out-heading`;
  return html`<h3 id="${headingId}">Paid but in no payout after ${unpaidOut.afterDays} days</h3>
    ${
      unpaidOut.payments.length === 0
        ? html`<p>None: every payment recorded more than ${unpaidOut.afterDays} days before ${unpaidOut.asOf} is in a payout.</p>`
        : html`<table aria-labelledby="${headingId}">
            <thead>
              <tr>
                <th scope="col">Order</th>
                <th scope="col">Payment</th>
                <th scope="col">Receipt recorded</th>
                <th scope="col" class="number">Days without a payout</th>
                <th scope="col" class="number">Amount</th>
              </tr>
            </thead>
            <tbody>
              ${unpaidOut.payments.map(
                (payment) =>
                  html`<tr>
                    <td><code>${payment.orderId}</code></td>
                    <td><code>${payment.paymentReference}</code></td>
                    <td>${payment.capturedOn}</td>
                    <td class="number">${payment.daysWaiting}</td>
                    <td class="number">${formatAmount(payment.amount, currency)}</td>
                  </tr>`,
              )}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row" colspan="4">Total at ${unpaidOut.asOf} (${currency})</th>
                <td class="number">${formatAmount(unpaidOut.total, currency)}</td>
              </tr>
            </tfoot>
          </table>`
    }`;
}

function gatewaySection(section: GatewayReconciliation, index: number): SafeHtml {
  const headingId = `gateway-${index}-heading`;
  const { currency } = section;
  return html`<section class="card" aria-labelledby="${headingId}">
    <h2 id="${headingId}">${section.gateway} · ${currency} · clearing account ${section.clearingAccountNo}</h2>
    <h3>Payout register</h3>
    ${registerTable(section, headingId)}
    <h3>Clearing roll-forward</h3>
    ${rollForwardFacts(section.rollForward, currency)} ${unpaidOutList(section, index)}
    <h3>Cut-off and disputes</h3>
    <dl class="facts">
      <dt>Sold this month, paid out later</dt>
      <dd>${section.cutOff.soldNotPaidOut.length} payments, ${money(section.cutOff.soldNotPaidOutTotal, currency)}</dd>
      <dt>Paid out this month, sold earlier</dt>
      <dd>${section.cutOff.paidOutSoldEarlier.length} payments, ${money(section.cutOff.paidOutSoldEarlierTotal, currency)}</dd>
      <dt>Open disputes</dt>
      <dd>
        ${
          section.openDisputes.length === 0
            ? 'none'
            : section.openDisputes
                .map((dispute) => `${dispute.disputeId} (${dispute.status}, ${money(dispute.amount, dispute.currency)})`)
                .join(', ')
        }
      </dd>
    </dl>
  </section>`;
}

function documentsSection(documents: DocumentComparison): SafeHtml {
  const { currency } = documents;
  return html`<section class="card" aria-labelledby="documents-heading">
    <h2 id="documents-heading">Documents against payments</h2>
    <dl class="facts">
      <dt>Orders</dt>
      <dd>
        ${documents.orders.recorded} recorded: ${documents.orders.posted} posted, ${documents.orders.unposted} not posted,
        ${documents.orders.cancelledOrSkipped} cancelled or skipped
      </dd>
      <dt>Intacct documents</dt>
      <dd>
        ${documents.intacctDocuments.count} for ${money(documents.intacctDocuments.amount, currency)}; ${documents.intacctDocuments.missing}
        missing, ${documents.intacctDocuments.duplicated} duplicated
      </dd>
      <dt>Payments</dt>
      <dd>
        ${documents.payments.count} for ${money(documents.payments.amount, currency)}; not posted ${documents.payments.unposted.count} for
        ${money(documents.payments.unposted.amount, currency)}
      </dd>
      <dt>Refunds and credit memos</dt>
      <dd>
        ${documents.refunds.count} for ${money(documents.refunds.amount, currency)}; not posted ${documents.refunds.unposted.count} for
        ${money(documents.refunds.unposted.amount, currency)}
      </dd>
    </dl>
  </section>`;
}

function differenceItem(difference: ReconciliationDifference): SafeHtml {
  const { figures } = difference;
  return html`<li>
    <strong>${difference.area}</strong>${difference.gateway && ` (${difference.gateway})`}, <code>${difference.reference}</code>:
    ${difference.explanation}
    ${
      figures &&
      html`<span class="figures"
        >Expected ${money(figures.expected, figures.currency)}, actual ${money(figures.actual, figures.currency)}, difference
        ${money(figures.difference, figures.currency)}.</span
      >`
    }
  </li>`;
}

/** The report's body: differences first (what needs looking at), then each gateway, then the documents. */
export function periodReportContent(report: PeriodReconciliationReport): SafeHtml {
  return html`<section aria-labelledby="differences-heading">
      <h2 id="differences-heading">Differences (${report.differences.length})</h2>
      ${
        report.differences.length === 0
          ? html`<p>None: every figure agrees.</p>`
          : html`<ul class="differences">
              ${report.differences.map(differenceItem)}
            </ul>`
      }
    </section>
    ${report.gateways.map(gatewaySection)} ${documentsSection(report.documents)}`;
}
