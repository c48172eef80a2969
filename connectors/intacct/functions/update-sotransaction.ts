import { legacyDate, type BusinessDate } from '../formats.js';
import { element, optional, type XmlElement } from '../xml-writer.js';
import { salesLineElement, type SalesDocumentLine } from './create-sotransaction.js';
import { contactElement, customFieldsElement, type CustomFieldValue, type DocumentContact } from './legacy-parts.js';

/** A change to an existing line; `lineNumber` is 1-based (reads report LINE_NO 0-based). */
export interface SalesLineChange {
  readonly lineNumber: number;
  readonly quantity?: string;
  readonly price?: string;
  readonly memo?: string;
  readonly warehouseId?: string;
}

/** `update_sotransaction` input; transaction type, customer and document number cannot change. */
export interface SalesDocumentUpdate {
  /** DOCID, e.g. `Sales Order-SO-0042`. */
  readonly documentId: string;
  readonly referenceNumber?: string;
  readonly paymentTerm?: string;
  readonly dueDate?: BusinessDate;
  readonly message?: string;
  /** Ship-to and bill-to as `create_sotransaction` takes them: an existing contact's name, or a contact made with the change. */
  readonly shipTo?: DocumentContact;
  readonly billTo?: DocumentContact;
  readonly customFields?: readonly CustomFieldValue[];
  readonly state?: 'Draft' | 'Pending' | 'Closed';
  readonly changedLines?: readonly SalesLineChange[];
  readonly addedLines?: readonly SalesDocumentLine[];
}

/** `update_sotransaction`, elements in the gateway's sequence. */
export function updateSotransaction(input: SalesDocumentUpdate): XmlElement {
  const lineItems = [
    ...(input.changedLines ?? []).map((change) => {
      if (!Number.isInteger(change.lineNumber) || change.lineNumber < 1)
        throw new RangeError(`line numbers are 1-based, got ${change.lineNumber}`);
      return element(
        'updatesotransitem',
        [
          ...optional('warehouseid', change.warehouseId),
          ...optional('quantity', change.quantity),
          ...optional('price', change.price),
          ...optional('memo', change.memo),
        ],
        { line_num: String(change.lineNumber) },
      );
    }),
    ...(input.addedLines ?? []).map(salesLineElement),
  ];
  return element(
    'update_sotransaction',
    [
      ...optional('referenceno', input.referenceNumber),
      ...optional('termname', input.paymentTerm),
      ...(input.dueDate === undefined ? [] : [legacyDate('datedue', input.dueDate)]),
      ...optional('message', input.message),
      ...contactElement('shipto', input.shipTo),
      ...contactElement('billto', input.billTo),
      ...customFieldsElement(input.customFields),
      ...optional('state', input.state),
      ...(lineItems.length === 0 ? [] : [element('updatesotransitems', lineItems)]),
    ],
    { key: input.documentId },
  );
}
