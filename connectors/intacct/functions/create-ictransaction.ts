import { legacyDate, type BusinessDate } from '../formats.js';
import { element, optional, type XmlElement } from '../xml-writer.js';
import { customFieldsElement, type CustomFieldValue } from './legacy-parts.js';

/** One line of an inventory transaction; the quantity is positive, the definition gives the direction. */
export interface InventoryTransactionLine {
  readonly itemId: string;
  readonly itemDescription?: string;
  readonly warehouseId: string;
  readonly quantity: string;
  readonly unit?: string;
  readonly cost?: string;
  readonly locationId?: string;
  readonly departmentId?: string;
  readonly classId?: string;
}

/** `create_ictransaction` input, e.g. "Adjustment Increase" / "Adjustment Decrease". */
export interface InventoryTransactionInput {
  readonly transactionDefinition: string;
  readonly date: BusinessDate;
  readonly documentNumber?: string;
  readonly referenceNumber?: string;
  readonly message?: string;
  readonly externalId?: string;
  readonly customFields?: readonly CustomFieldValue[];
  readonly lines: readonly InventoryTransactionLine[];
}

/** `create_ictransaction`, elements in the gateway's sequence. The result's `<key>` is the DOCID. */
export function createIctransaction(input: InventoryTransactionInput): XmlElement {
  if (input.lines.length === 0) throw new RangeError('An inventory transaction needs at least one line');
  return element('create_ictransaction', [
    element('transactiontype', input.transactionDefinition),
    legacyDate('datecreated', input.date),
    ...optional('documentno', input.documentNumber),
    ...optional('referenceno', input.referenceNumber),
    ...optional('message', input.message),
    ...optional('externalid', input.externalId),
    ...customFieldsElement(input.customFields),
    element(
      'ictransitems',
      input.lines.map((line) =>
        element('ictransitem', [
          element('itemid', line.itemId),
          ...optional('itemdesc', line.itemDescription),
          element('warehouseid', line.warehouseId),
          element('quantity', line.quantity),
          ...optional('unit', line.unit),
          ...optional('cost', line.cost),
          ...optional('locationid', line.locationId),
          ...optional('departmentid', line.departmentId),
          ...optional('classid', line.classId),
        ]),
      ),
    ),
  ]);
}
