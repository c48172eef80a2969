import { IntacctAlreadyRecordedError, type IntacctClient } from './client.js';
import { IntacctInputError, recordedButMissing } from './errors.js';
import { queryLiteral } from './formats.js';
import { createSotransaction, type SalesDocumentInput } from './functions/create-sotransaction.js';
import { deleteSotransaction } from './functions/delete-sotransaction.js';
import { updateSotransaction, type SalesDocumentUpdate } from './functions/update-sotransaction.js';
import { collectByQuery } from './paging.js';
import { fieldText, type IntacctRecord } from './response-parser.js';

/** A sales document header as read back from SODOCUMENT. */
export interface IntacctSalesDocument {
  readonly recordNo: string;
  readonly documentId: string;
  readonly documentNumber: string;
  readonly transactionDefinition: string;
  readonly referenceNumber: string;
  readonly customerId: string;
  readonly state: string;
  readonly total: string;
  /** RECORDNO of the AR invoice a posting definition created: the key payments apply to. */
  readonly arInvoiceKey: string;
}

const documentFields = ['RECORDNO', 'DOCID', 'DOCNO', 'DOCPARID', 'PONUMBER', 'CUSTVENDID', 'STATE', 'TOTAL', 'PRRECORDKEY'];

function toSalesDocument(record: IntacctRecord): IntacctSalesDocument {
  return {
    recordNo: fieldText(record, 'RECORDNO'),
    documentId: fieldText(record, 'DOCID'),
    documentNumber: fieldText(record, 'DOCNO'),
    transactionDefinition: fieldText(record, 'DOCPARID'),
    referenceNumber: fieldText(record, 'PONUMBER'),
    customerId: fieldText(record, 'CUSTVENDID'),
    state: fieldText(record, 'STATE'),
    total: fieldText(record, 'TOTAL'),
    arInvoiceKey: fieldText(record, 'PRRECORDKEY'),
  };
}

/** Result of an exactly-once create: the DOCID, and whether this call created it. */
export interface CreateSalesDocumentResult {
  readonly documentId: string;
  readonly created: boolean;
}

/**
 * Creates a sales document exactly once. `controlId` must be stable across retries of the
 * same logical write (for example `so-create:{tenant}:{order}:v1`) and the input must carry
 * the reference number: when the gateway answers that the control id already succeeded (the
 * first response was lost), the document is found by reference number and definition.
 */
export async function createSalesDocument(
  client: IntacctClient,
  input: SalesDocumentInput & { readonly referenceNumber: string },
  controlId: string,
): Promise<CreateSalesDocumentResult> {
  try {
    const result = await client.executeOne({ controlId, body: createSotransaction(input) }, { uniqueId: true });
    if (!result.key)
      throw new IntacctInputError('create_sotransaction succeeded without a key', {
        level: 'function',
        controlId,
        functionName: 'create_sotransaction',
      });
    return { documentId: result.key, created: true };
  } catch (error) {
    if (!(error instanceof IntacctAlreadyRecordedError)) throw error;
    const [existing] = await findSalesDocumentsByReference(client, input.transactionDefinition, input.referenceNumber);
    if (!existing)
      throw recordedButMissing(
        controlId,
        'create_sotransaction',
        `no ${input.transactionDefinition} with reference ${input.referenceNumber} exists`,
        error,
      );
    return { documentId: existing.documentId, created: false };
  }
}

/** Sales documents of one definition whose reference number (PONUMBER) matches exactly. */
export async function findSalesDocumentsByReference(
  client: IntacctClient,
  transactionDefinition: string,
  referenceNumber: string,
): Promise<IntacctSalesDocument[]> {
  const records = await collectByQuery(client, {
    object: 'SODOCUMENT',
    query: `DOCPARID = ${queryLiteral(transactionDefinition)} AND PONUMBER = ${queryLiteral(referenceNumber)}`,
    fields: documentFields,
    pageSize: 10,
    controlIdPrefix: 'so-by-reference',
  });
  return records.map(toSalesDocument);
}

/** One sales document by DOCID, or undefined. */
export async function readSalesDocument(client: IntacctClient, documentId: string): Promise<IntacctSalesDocument | undefined> {
  const records = await collectByQuery(client, {
    object: 'SODOCUMENT',
    query: `DOCID = ${queryLiteral(documentId)}`,
    fields: documentFields,
    pageSize: 1,
    controlIdPrefix: 'so-by-docid',
  });
  return records[0] === undefined ? undefined : toSalesDocument(records[0]);
}

/** Changes a sales document (header fields, existing lines by 1-based number, added lines). */
export async function updateSalesDocument(client: IntacctClient, update: SalesDocumentUpdate, controlId: string): Promise<void> {
  await client.executeOne({ controlId, body: updateSotransaction(update) });
}

/** Deletes a sales document (compensation); a document already gone counts as deleted. */
export async function deleteSalesDocument(
  client: IntacctClient,
  documentId: string,
  controlId: string,
): Promise<{ readonly deleted: boolean }> {
  if ((await readSalesDocument(client, documentId)) === undefined) return { deleted: false };
  await client.executeOne({ controlId, body: deleteSotransaction({ documentId }) });
  return { deleted: true };
}

/** A sales document's header with what a change to its lines needs: its state and its message. */
export interface IntacctSalesDocumentHeader extends IntacctSalesDocument {
  readonly message: string;
  readonly currency: string;
}

/** One sales document's header, message included, by DOCID; undefined when there is none. */
export async function readSalesDocumentHeader(client: IntacctClient, documentId: string): Promise<IntacctSalesDocumentHeader | undefined> {
  const [record] = await collectByQuery(client, {
    object: 'SODOCUMENT',
    query: `DOCID = ${queryLiteral(documentId)}`,
    fields: [...documentFields, 'MESSAGE', 'CURRENCY'],
    pageSize: 1,
    controlIdPrefix: 'so-header',
  });
  return record === undefined
    ? undefined
    : { ...toSalesDocument(record), message: fieldText(record, 'MESSAGE'), currency: fieldText(record, 'CURRENCY') };
}

/** A line of a sales document as read back from SODOCUMENTENTRY, numbered 1-based as `update_sotransaction` addresses it. */
export interface IntacctSalesDocumentLine {
  readonly recordNo: string;
  /** 1-based (LINE_NO + 1). */
  readonly lineNumber: number;
  readonly itemId: string;
  readonly quantity: string;
  readonly price: string;
  readonly warehouseId: string;
  readonly unit: string;
  readonly memo: string;
  readonly locationId: string;
  readonly departmentId: string;
  readonly projectId: string;
  readonly classId: string;
}

const lineFields = [
  'RECORDNO',
  'LINE_NO',
  'ITEMID',
  'WAREHOUSEID',
  'QUANTITY',
  'UNIT',
  'PRICE',
  'MEMO',
  'LOCATIONID',
  'DEPARTMENTID',
  'PROJECTID',
  'CLASSID',
];

/**
 * The SODOCUMENTENTRY records of a sales document, with `fields` only, in no particular order
 * (one readByQuery page holds 1000 lines; more are paged).
 */
export async function querySalesDocumentEntries(
  client: IntacctClient,
  documentId: string,
  fields: readonly string[],
  controlIdPrefix: string,
): Promise<IntacctRecord[]> {
  return collectByQuery(client, {
    object: 'SODOCUMENTENTRY',
    query: `DOCHDRID = ${queryLiteral(documentId)}`,
    fields,
    pageSize: 1000,
    controlIdPrefix,
  });
}

/** A sales document's lines in line order. */
export async function readSalesDocumentLines(client: IntacctClient, documentId: string): Promise<IntacctSalesDocumentLine[]> {
  const records = await querySalesDocumentEntries(client, documentId, lineFields, 'so-entries');
  return records
    .map((record) => ({
      recordNo: fieldText(record, 'RECORDNO'),
      lineNumber: Number(fieldText(record, 'LINE_NO')) + 1,
      itemId: fieldText(record, 'ITEMID'),
      quantity: fieldText(record, 'QUANTITY'),
      price: fieldText(record, 'PRICE'),
      warehouseId: fieldText(record, 'WAREHOUSEID'),
      unit: fieldText(record, 'UNIT'),
      memo: fieldText(record, 'MEMO'),
      locationId: fieldText(record, 'LOCATIONID'),
      departmentId: fieldText(record, 'DEPARTMENTID'),
      projectId: fieldText(record, 'PROJECTID'),
      classId: fieldText(record, 'CLASSID'),
    }))
    .sort((a, b) => a.lineNumber - b.lineNumber);
}

/**
 * Changes a sales document once: sent with `uniqueid`, so a repeat of a change whose answer was
 * lost is refused by the gateway as already recorded and reported as `updated: false`. The
 * control id must name the change itself (its content), not just the document.
 */
export async function updateSalesDocumentOnce(
  client: IntacctClient,
  update: SalesDocumentUpdate,
  controlId: string,
): Promise<{ readonly updated: boolean }> {
  try {
    await client.executeOne({ controlId, body: updateSotransaction(update) }, { uniqueId: true });
    return { updated: true };
  } catch (error) {
    if (error instanceof IntacctAlreadyRecordedError) return { updated: false };
    throw error;
  }
}
