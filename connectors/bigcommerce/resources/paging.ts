import { z } from 'zod';
import type { Pagination } from '../schemas/common.js';
import { v3Collection } from '../schemas/common.js';
import type { BigCommerceRequest, BigCommerceTransport } from '../transport.js';

/** A V3 page: the items and `meta.pagination`. */
export interface V3Page<T> {
  data: T[];
  pagination: Pagination | undefined;
}

/**
 * Reads a V2 list page. V2 answers an empty page with 204 and no body, not `[]`: both are
 * an empty array here.
 */
export async function readV2Page<T extends z.ZodType>(
  transport: BigCommerceTransport,
  request: BigCommerceRequest,
  item: T,
): Promise<z.output<T>[]> {
  const body = await transport.sendParsed(request, z.array(item).optional());
  return body ?? [];
}

/** Pages a V2 list until a 204 or a short page, `limit` rows at a time (max 250). */
export async function* iterateV2<T extends z.ZodType>(
  transport: BigCommerceTransport,
  request: BigCommerceRequest,
  item: T,
  limit = 250,
): AsyncGenerator<z.output<T>> {
  for (let page = 1; ; page += 1) {
    const rows = await readV2Page(transport, { ...request, searchParams: { ...request.searchParams, page, limit } }, item);
    yield* rows;
    if (rows.length < limit) return;
  }
}

/** Reads a V3 page; some V3 lists (transactions) also answer an empty result with 204. */
export async function readV3Page<T extends z.ZodType>(
  transport: BigCommerceTransport,
  request: BigCommerceRequest,
  item: T,
): Promise<V3Page<z.output<T>>> {
  const body = await transport.sendParsed(request, v3Collection(item).optional());
  return { data: body?.data ?? [], pagination: body?.meta?.pagination };
}

/** Pages a V3 list by `meta.pagination` until the last page. */
export async function* iterateV3<T extends z.ZodType>(
  transport: BigCommerceTransport,
  request: BigCommerceRequest,
  item: T,
  limit = 250,
): AsyncGenerator<z.output<T>> {
  for (let page = 1; ; page += 1) {
    const { data, pagination } = await readV3Page(transport, { ...request, searchParams: { ...request.searchParams, page, limit } }, item);
    yield* data;
    if (pagination === undefined ? data.length < limit : pagination.current_page >= pagination.total_pages) return;
  }
}
