import { legacyDate, type BusinessDate } from '../formats.js';
import { element, optional, type XmlElement } from '../xml-writer.js';
import {
  contactElement,
  currencyElements,
  customFieldsElement,
  type CustomFieldValue,
  type DocumentContact,
  type LegacyCurrency,
} from './legacy-parts.js';

/** Dimensions a sales line (or subtotal) can carry. */
export interface LineDimensions {
  readonly locationId?: string;
  readonly departmentId?: string;
  readonly projectId?: string;
  readonly customerId?: string;
  readonly vendorId?: string;
  readonly employeeId?: string;
  readonly classId?: string;
  readonly contractId?: string;
}

/** One tax on a line under the document's tax solution: the tax detail, and the tax amount when the caller states it. */
export interface SalesLineTaxEntry {
  readonly detailId: string;
  /** Decimal text; absent: Intacct computes the tax from the detail's rate. */
  readonly amount?: string;
}

/** One line of a sales document. Quantities and prices are decimal text. */
export interface SalesDocumentLine extends LineDimensions {
  readonly itemId: string;
  readonly itemDescription?: string;
  readonly taxable?: boolean;
  readonly warehouseId?: string;
  readonly quantity: string;
  readonly unit?: string;
  /** The line has no discount amount element: discounts are a percentage or a subtotal. */
  readonly discountPercent?: string;
  readonly price?: string;
  /** RECORDNO of the source document's line when converting (created-from). */
  readonly sourceLineKey?: string;
  readonly memo?: string;
  readonly customFields?: readonly CustomFieldValue[];
  /** This line's own ship-to (the transaction definition must enable line-level ship-to). */
  readonly shipTo?: DocumentContact;
  /** Tax detail of the line; needs the header's {@link SalesDocumentInput.taxSolutionId}. */
  readonly taxEntries?: readonly SalesLineTaxEntry[];
}

/** A header subtotal (shipping, discount, tax) as configured on the transaction definition. */
export interface SalesDocumentSubtotal extends LineDimensions {
  readonly description: string;
  readonly total: string;
}

/** `create_sotransaction` input: any transaction definition ("Sales Order", "Sales Invoice", a tenant's own). */
export interface SalesDocumentInput {
  readonly transactionDefinition: string;
  readonly date: BusinessDate;
  readonly datePosted?: BusinessDate;
  /** DOCID of the document this one converts, e.g. `Sales Order-SO-0042`. */
  readonly createdFrom?: string;
  readonly customerId: string;
  /** Left out: the definition numbers the document. */
  readonly documentNumber?: string;
  /** Reference number, read back as `PONUMBER`; the storefront's order id. */
  readonly referenceNumber?: string;
  readonly paymentTerm?: string;
  readonly dueDate?: BusinessDate;
  readonly message?: string;
  readonly shippingMethod?: string;
  readonly shipTo?: DocumentContact;
  readonly billTo?: DocumentContact;
  readonly externalId?: string;
  readonly currency?: LegacyCurrency;
  readonly customFields?: readonly CustomFieldValue[];
  readonly state?: 'Draft' | 'Pending' | 'Closed';
  readonly projectId?: string;
  /** The tax solution the lines' tax entries belong to (companies on Intacct's tax engine or VAT). */
  readonly taxSolutionId?: string;
  readonly lines: readonly SalesDocumentLine[];
  readonly subtotals?: readonly SalesDocumentSubtotal[];
}

/** A sales line in schema order; shared with `update_sotransaction`, which adds lines the same way. */
export function salesLineElement(line: SalesDocumentLine): XmlElement {
  return element('sotransitem', [
    element('itemid', line.itemId),
    ...optional('itemdesc', line.itemDescription),
    ...optional('taxable', line.taxable === undefined ? undefined : String(line.taxable)),
    ...optional('warehouseid', line.warehouseId),
    element('quantity', line.quantity),
    ...optional('unit', line.unit),
    ...optional('discountpercent', line.discountPercent),
    ...optional('price', line.price),
    ...optional('sourcelinekey', line.sourceLineKey),
    ...optional('locationid', line.locationId),
    ...optional('departmentid', line.departmentId),
    ...optional('memo', line.memo),
    ...customFieldsElement(line.customFields),
    ...optional('projectid', line.projectId),
    ...optional('customerid', line.customerId),
    ...optional('vendorid', line.vendorId),
    ...optional('employeeid', line.employeeId),
    ...optional('classid', line.classId),
    ...optional('contractid', line.contractId),
    ...contactElement('shipto', line.shipTo),
    ...(line.taxEntries === undefined || line.taxEntries.length === 0
      ? []
      : [
          element(
            'taxentries',
            line.taxEntries.map((entry) =>
              element('taxentry', [element('detailid', entry.detailId), ...optional('trx_tax', entry.amount)]),
            ),
          ),
        ]),
  ]);
}

function subtotalElement(subtotal: SalesDocumentSubtotal): XmlElement {
  return element('subtotal', [
    element('description', subtotal.description),
    element('total', subtotal.total),
    ...optional('locationid', subtotal.locationId),
    ...optional('departmentid', subtotal.departmentId),
    ...optional('projectid', subtotal.projectId),
    ...optional('customerid', subtotal.customerId),
    ...optional('vendorid', subtotal.vendorId),
    ...optional('employeeid', subtotal.employeeId),
    ...optional('classid', subtotal.classId),
    ...optional('contractid', subtotal.contractId),
  ]);
}

/** `create_sotransaction`, elements in the gateway's sequence. The result's `<key>` is the DOCID. */
export function createSotransaction(input: SalesDocumentInput): XmlElement {
  if (input.lines.length === 0) throw new RangeError('A sales document needs at least one line');
  return element('create_sotransaction', [
    element('transactiontype', input.transactionDefinition),
    legacyDate('datecreated', input.date),
    ...(input.datePosted === undefined ? [] : [legacyDate('dateposted', input.datePosted)]),
    ...optional('createdfrom', input.createdFrom),
    element('customerid', input.customerId),
    ...optional('documentno', input.documentNumber),
    ...optional('referenceno', input.referenceNumber),
    ...optional('termname', input.paymentTerm),
    ...(input.dueDate === undefined ? [] : [legacyDate('datedue', input.dueDate)]),
    ...optional('message', input.message),
    ...optional('shippingmethod', input.shippingMethod),
    ...contactElement('shipto', input.shipTo),
    ...contactElement('billto', input.billTo),
    ...optional('externalid', input.externalId),
    ...currencyElements(input.currency),
    ...customFieldsElement(input.customFields),
    ...optional('state', input.state),
    ...optional('projectid', input.projectId),
    ...optional('taxsolutionid', input.taxSolutionId),
    element('sotransitems', input.lines.map(salesLineElement)),
    ...(input.subtotals === undefined || input.subtotals.length === 0 ? [] : [element('subtotals', input.subtotals.map(subtotalElement))]),
  ]);
}
