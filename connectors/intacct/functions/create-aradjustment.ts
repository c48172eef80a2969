import { legacyDate, type BusinessDate } from '../formats.js';
import { element, optional, type XmlElement } from '../xml-writer.js';
import { currencyElements, type LegacyCurrency } from './legacy-parts.js';

/** One line of an AR adjustment; a negative amount is a credit, a positive one a debit. */
export interface ArAdjustmentLine {
  readonly glAccountNumber: string;
  readonly amount: string;
  readonly memo?: string;
  readonly locationId?: string;
  readonly departmentId?: string;
}

/** `create_aradjustment` input: a credit (or debit) memo outside Order Entry. */
export interface ArAdjustmentInput {
  readonly customerId: string;
  readonly date: BusinessDate;
  readonly adjustmentNumber?: string;
  readonly invoiceNumber?: string;
  readonly description?: string;
  readonly externalId?: string;
  readonly currency?: LegacyCurrency;
  readonly lines: readonly ArAdjustmentLine[];
}

/** `create_aradjustment`, elements in the gateway's sequence. The result's `<key>` is the new RECORDNO. */
export function createAradjustment(input: ArAdjustmentInput): XmlElement {
  if (input.lines.length === 0) throw new RangeError('An AR adjustment needs at least one line');
  return element('create_aradjustment', [
    element('customerid', input.customerId),
    legacyDate('datecreated', input.date),
    ...optional('adjustmentno', input.adjustmentNumber),
    ...optional('invoiceno', input.invoiceNumber),
    ...optional('description', input.description),
    ...optional('externalid', input.externalId),
    ...currencyElements(input.currency),
    element(
      'aradjustmentitems',
      input.lines.map((line) =>
        element('lineitem', [
          element('glaccountno', line.glAccountNumber),
          element('amount', line.amount),
          ...optional('memo', line.memo),
          ...optional('locationid', line.locationId),
          ...optional('departmentid', line.departmentId),
        ]),
      ),
    ),
  ]);
}
