import type { IntacctClient } from './client.js';
import { queryLiteral } from './formats.js';
import { collectByQuery } from './paging.js';
import { fieldText } from './response-parser.js';

/** A sales document header as the period reconciliation compares it. */
export interface SalesDocumentByReference {
  readonly documentId: string;
  readonly referenceNumber: string;
  /** Decimal text, document currency. */
  readonly total: string;
  readonly state: string;
}

/** References per query: one API transaction reads up to this many orders' documents. */
const referencesPerQuery = 100;

/**
 * The sales documents of one definition whose reference number (PONUMBER) is any of
 * `referenceNumbers`, in DOCID order: a month's orders in a few API transactions, not one each.
 * Several documents with one reference are all returned (that is how a duplicate is seen).
 */
export async function findSalesDocumentsByReferences(
  client: IntacctClient,
  transactionDefinition: string,
  referenceNumbers: readonly string[],
): Promise<SalesDocumentByReference[]> {
  const documents: SalesDocumentByReference[] = [];
  for (let start = 0; start < referenceNumbers.length; start += referencesPerQuery) {
    const chunk = referenceNumbers.slice(start, start + referencesPerQuery);
    const records = await collectByQuery(client, {
      object: 'SODOCUMENT',
      query: `DOCPARID = ${queryLiteral(transactionDefinition)} AND PONUMBER IN (${chunk.map(queryLiteral).join(', ')})`,
      fields: ['DOCID', 'PONUMBER', 'TOTAL', 'STATE'],
      pageSize: 1000,
      controlIdPrefix: 'so-by-references',
    });
    for (const record of records)
      documents.push({
        documentId: fieldText(record, 'DOCID'),
        referenceNumber: fieldText(record, 'PONUMBER'),
        total: fieldText(record, 'TOTAL'),
        state: fieldText(record, 'STATE'),
      });
  }
  return documents.sort((left, right) => (left.documentId < right.documentId ? -1 : left.documentId > right.documentId ? 1 : 0));
}
