import type { IntacctClient } from './client.js';
import { query, type QueryInput } from './functions/query.js';
import { readByQuery } from './functions/read-by-query.js';
import { readMore } from './functions/read-more.js';
import type { IntacctRecord } from './response-parser.js';

/** One page of a readByQuery chain. */
export interface RecordPage {
  readonly records: readonly IntacctRecord[];
  readonly totalCount: number;
  readonly remaining: number;
}

/**
 * Pages through a `readByQuery` with `readMore`, one request per page (each is one API
 * transaction). Stops on `numremaining` only: an empty or missing `resultId` on the last page
 * means nothing.
 */
export async function* readAllByQuery(
  client: IntacctClient,
  input: {
    readonly object: string;
    readonly query: string;
    readonly fields?: readonly string[];
    readonly pageSize?: number;
    readonly docparid?: string;
    readonly controlIdPrefix: string;
  },
): AsyncGenerator<RecordPage> {
  let page = 0;
  let result = await client.executeOne({ controlId: `${input.controlIdPrefix}:${page}`, body: readByQuery(input) });
  for (;;) {
    const data = result.data;
    const remaining = data?.numremaining ?? 0;
    yield { records: data?.records ?? [], totalCount: data?.totalcount ?? data?.records.length ?? 0, remaining };
    if (remaining <= 0) return;
    if (!data?.resultId) throw new Error(`readByQuery on ${input.object} reported ${remaining} more records but no resultId`);
    page += 1;
    result = await client.executeOne({ controlId: `${input.controlIdPrefix}:${page}`, body: readMore({ resultId: data.resultId }) });
  }
}

/** All records of a readByQuery chain in one array (for small result sets). */
export async function collectByQuery(client: IntacctClient, input: Parameters<typeof readAllByQuery>[1]): Promise<IntacctRecord[]> {
  const records: IntacctRecord[] = [];
  for await (const page of readAllByQuery(client, input)) records.push(...page.records);
  return records;
}

/**
 * Pages through a `query` by offset (no resultId). Each page is a new query, so order by a
 * stable key (RECORDNO) when the data may change between pages.
 */
export async function* queryAllByOffset(
  client: IntacctClient,
  input: Omit<QueryInput, 'offset'> & { readonly controlIdPrefix: string },
): AsyncGenerator<RecordPage> {
  let offset = 0;
  for (let page = 0; ; page += 1) {
    const result = await client.executeOne({ controlId: `${input.controlIdPrefix}:${page}`, body: query({ ...input, offset }) });
    const data = result.data;
    const records = data?.records ?? [];
    const remaining = data?.numremaining ?? 0;
    yield { records, totalCount: data?.totalcount ?? records.length, remaining };
    if (remaining <= 0 || records.length === 0) return;
    offset += records.length;
  }
}
