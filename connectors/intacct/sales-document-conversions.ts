import type { IntacctClient } from './client.js';
import { queryLiteral } from './formats.js';
import type { SalesDocumentLine, SalesLineTaxEntry } from './functions/create-sotransaction.js';
import { query } from './functions/query.js';
import { collectByQuery } from './paging.js';
import { fieldText, type IntacctRecord } from './response-parser.js';
import { querySalesDocumentEntries } from './sales-documents.js';

/**
 * Reads around converting a sales document (to an invoice, a shipper): its header, the lines a
 * conversion copies, and the documents already converted from it. One typed function per query.
 */

/** A document converted from a sales document, with its shipping details. */
export interface IntacctConvertedDocument {
  documentId: string;
  /** Its transaction definition (DOCPARID). */
  definition: string;
  trackingNumber: string;
  shipVia: string;
  shippedDate: string;
  createdDate: string;
}

/** A sales document's header, with what a conversion copies. */
export interface IntacctConversionSource {
  /** The header's record number (RECORDNO), which its subtotals and line tax entries name. */
  recordNo: string;
  documentId: string;
  referenceNumber: string;
  customerId: string;
  state: string;
  currency: string;
  baseCurrency: string;
  /** The header total: its lines' totals, its lines' tax and its subtotals (an order-level discount), decimal text. */
  total: string;
  /** Its tax solution (TAXSOLUTIONID), empty when its lines carry no tax detail. */
  taxSolutionId: string;
}

export async function readConversionSource(client: IntacctClient, documentId: string): Promise<IntacctConversionSource | undefined> {
  const [record] = await collectByQuery(client, {
    object: 'SODOCUMENT',
    query: `DOCID = ${queryLiteral(documentId)}`,
    fields: ['RECORDNO', 'DOCID', 'PONUMBER', 'CUSTVENDID', 'STATE', 'CURRENCY', 'BASECURR', 'TOTAL', 'TAXSOLUTIONID'],
    pageSize: 1,
    controlIdPrefix: 'so-source',
  });
  if (record === undefined) return undefined;
  return {
    recordNo: fieldText(record, 'RECORDNO'),
    documentId: fieldText(record, 'DOCID'),
    referenceNumber: fieldText(record, 'PONUMBER'),
    customerId: fieldText(record, 'CUSTVENDID'),
    state: fieldText(record, 'STATE'),
    currency: fieldText(record, 'CURRENCY'),
    baseCurrency: fieldText(record, 'BASECURR'),
    total: fieldText(record, 'TOTAL'),
    taxSolutionId: fieldText(record, 'TAXSOLUTIONID'),
  };
}

const convertedLineFields = [
  'RECORDNO',
  'LINE_NO',
  'ITEMID',
  'WAREHOUSEID',
  'QUANTITY',
  'UNIT',
  'PRICE',
  'DISCOUNTPERCENT',
  'MEMO',
  'LOCATIONID',
  'DEPARTMENTID',
  'PROJECTID',
  'CLASSID',
  'TOTAL',
];

/** A source line as the converting document's line: same item, quantity and price, linked by `sourcelinekey`. */
function toConvertedLine(record: IntacctRecord): SalesDocumentLine {
  const text = (field: string) => fieldText(record, field) || undefined;
  const discount = text('DISCOUNTPERCENT');
  return {
    itemId: fieldText(record, 'ITEMID'),
    quantity: fieldText(record, 'QUANTITY'),
    sourceLineKey: fieldText(record, 'RECORDNO'),
    ...(text('WAREHOUSEID') && { warehouseId: text('WAREHOUSEID') }),
    ...(text('UNIT') && { unit: text('UNIT') }),
    ...(text('PRICE') && { price: text('PRICE') }),
    ...(discount !== undefined && Number(discount) !== 0 && { discountPercent: discount }),
    ...(text('MEMO') && { memo: text('MEMO') }),
    ...(text('LOCATIONID') && { locationId: text('LOCATIONID') }),
    ...(text('DEPARTMENTID') && { departmentId: text('DEPARTMENTID') }),
    ...(text('PROJECTID') && { projectId: text('PROJECTID') }),
    ...(text('CLASSID') && { classId: text('CLASSID') }),
  };
}

/**
 * The source lines a conversion copies, in line order. Lines at quantity 0 are left out: a refund
 * before invoicing set them to nothing (the XML API cannot remove a line), so the invoice bills
 * exactly what the reduced order still holds.
 */
export async function readConvertibleLines(client: IntacctClient, documentId: string): Promise<SalesDocumentLine[]> {
  return (await readSourceLines(client, documentId)).filter((line) => Number(line.quantity) > 0);
}

/**
 * Every line of a sales document as a converting document's line, in line order, those at
 * quantity 0 included: they keep the place of the order lines a refund took to nothing, which a
 * partial conversion needs to tell which lines follow which order line.
 */
export async function readSourceLines(client: IntacctClient, documentId: string): Promise<SalesDocumentLine[]> {
  return (await readSourceLinesWithTotals(client, documentId)).lines;
}

/** A sales document's lines as a conversion copies them, with each line's total (decimal text) at the same index. */
export interface IntacctSourceLines {
  lines: SalesDocumentLine[];
  lineTotals: string[];
}

/**
 * {@link readSourceLines} with each line's total, in the same one query: a conversion copies only
 * lines, so what the header total holds beyond them (its subtotals, such as an order-level
 * discount) must be carried over by the caller. With `taxOf` (the document, when it has a tax
 * solution), each line also carries its tax entries (see {@link readLineTaxEntries}), one query
 * more: a conversion copies a line's tax only when the converting line states it.
 */
export async function readSourceLinesWithTotals(
  client: IntacctClient,
  documentId: string,
  taxOf?: Pick<IntacctConversionSource, 'recordNo'>,
): Promise<IntacctSourceLines> {
  const records = (await querySalesDocumentEntries(client, documentId, convertedLineFields, 'so-lines')).sort(
    (a, b) => Number(fieldText(a, 'LINE_NO')) - Number(fieldText(b, 'LINE_NO')),
  );
  const taxes = taxOf === undefined ? new Map<string, SalesLineTaxEntry[]>() : await readLineTaxEntries(client, taxOf.recordNo);
  const lines = records.map((record) => {
    const line = toConvertedLine(record);
    const taxEntries = taxes.get(fieldText(record, 'RECORDNO'));
    return taxEntries === undefined ? line : { ...line, taxEntries };
  });
  return { lines, lineTotals: records.map((record) => fieldText(record, 'TOTAL')) };
}

/**
 * SODOCUMENTSUBTOTALS fields of a line's tax entry. Sage documents the object's DOCHDRNO,
 * DOCENTRYKEY (the line, empty on a header subtotal), DESCRIPTION, PERCENTVAL and TRX_ABSVAL (the
 * amount in the transaction currency); DETAILID (the tax detail, as `taxentry` writes it) is
 * taken from the REST object's `taxDetail.id` and not confirmed against a live company.
 */
const lineTaxFields = ['RECORDNO', 'DOCENTRYKEY', 'DETAILID', 'TRX_ABSVAL'];

/**
 * A document's line tax entries by line (its SODOCUMENTENTRY RECORDNO), in record order: the
 * line-level subtotals, each a tax detail and its amount as the document holds it. Header
 * subtotals (no DOCENTRYKEY) are not line tax and are left out.
 */
export function toLineTaxEntries(records: readonly IntacctRecord[]): Map<string, SalesLineTaxEntry[]> {
  const byLine = new Map<string, SalesLineTaxEntry[]>();
  const ordered = [...records].sort((a, b) => Number(fieldText(a, 'RECORDNO')) - Number(fieldText(b, 'RECORDNO')));
  for (const record of ordered) {
    const line = fieldText(record, 'DOCENTRYKEY');
    const detailId = fieldText(record, 'DETAILID');
    if (line === '' || detailId === '') continue;
    const amount = fieldText(record, 'TRX_ABSVAL');
    byLine.set(line, [...(byLine.get(line) ?? []), { detailId, ...(amount !== '' && { amount }) }]);
  }
  return byLine;
}

/** The line tax entries of the document whose header is record `documentRecordNo` (see {@link toLineTaxEntries}). */
export async function readLineTaxEntries(client: IntacctClient, documentRecordNo: string): Promise<Map<string, SalesLineTaxEntry[]>> {
  return toLineTaxEntries(
    await collectByQuery(client, {
      object: 'SODOCUMENTSUBTOTALS',
      query: `DOCHDRNO = ${queryLiteral(documentRecordNo)}`,
      fields: lineTaxFields,
      pageSize: 1000,
      controlIdPrefix: 'so-line-tax',
    }),
  );
}

/**
 * The document of `definition` created from `sourceId` (an invoice, say), by whoever converted
 * it; with `externalId`, only the one created with that external id (one of several partial
 * conversions).
 */
export async function findConvertedDocument(
  client: IntacctClient,
  definition: string,
  sourceId: string,
  externalId?: string,
): Promise<{ documentId: string; arInvoiceKey: string } | undefined> {
  const [record] = await collectByQuery(client, {
    object: 'SODOCUMENT',
    query: `DOCPARID = ${queryLiteral(definition)} AND CREATEDFROM = ${queryLiteral(sourceId)}${
      externalId === undefined ? '' : ` AND EXTERNALID = ${queryLiteral(externalId)}`
    }`,
    fields: ['RECORDNO', 'DOCID', 'PRRECORDKEY'],
    pageSize: 10,
    controlIdPrefix: 'so-converted-from',
  });
  return record === undefined ? undefined : { documentId: fieldText(record, 'DOCID'), arInvoiceKey: fieldText(record, 'PRRECORDKEY') };
}

/** SODOCUMENT fields read for the documents converted from a sales order (shippers, invoices). */
const fulfilmentFields = ['RECORDNO', 'DOCID', 'DOCPARID', 'STATE', 'WHENCREATED', 'SHIPVIA', 'TRACKINGNUMBER', 'SHIPPEDDATE'];
/** More converted documents than this for one order is not a real case; the first page is all that is read. */
const fulfilmentPageSize = 100;

/**
 * The documents Intacct created from the sales order (a shipper or invoice records the
 * fulfilment), in creation order: one `query` on SODOCUMENT by CREATEDFROM, so one API
 * transaction per call.
 */
export async function readConvertedDocuments(intacct: IntacctClient, salesDocumentId: string): Promise<IntacctConvertedDocument[]> {
  const result = await intacct.executeOne({
    controlId: `so-fulfilment:${salesDocumentId}`.slice(0, 256),
    body: query({
      object: 'SODOCUMENT',
      select: fulfilmentFields,
      filter: { field: 'CREATEDFROM', operator: 'equalto', value: salesDocumentId },
      orderBy: [{ field: 'RECORDNO' }],
      pageSize: fulfilmentPageSize,
    }),
  });
  return (result.data?.records ?? []).map((record) => ({
    documentId: fieldText(record, 'DOCID'),
    definition: fieldText(record, 'DOCPARID'),
    trackingNumber: fieldText(record, 'TRACKINGNUMBER'),
    shipVia: fieldText(record, 'SHIPVIA'),
    shippedDate: fieldText(record, 'SHIPPEDDATE'),
    createdDate: fieldText(record, 'WHENCREATED'),
  }));
}

/** One line of a document converted from a sales document: the source line it came from, and its quantity. */
export interface IntacctConvertedLine {
  sourceLineKey: string;
  quantity: string;
}

/** The lines of a converted document (a shipper, an invoice) with the source lines they were converted from. */
export async function readConvertedLines(client: IntacctClient, documentId: string): Promise<IntacctConvertedLine[]> {
  const records = await querySalesDocumentEntries(client, documentId, ['RECORDNO', 'SOURCELINEKEY', 'QUANTITY'], 'so-converted-lines');
  return records.map((record) => ({ sourceLineKey: fieldText(record, 'SOURCELINEKEY'), quantity: fieldText(record, 'QUANTITY') }));
}
