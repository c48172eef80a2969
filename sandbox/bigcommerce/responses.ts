import type { Response } from 'express';

/** The `type` link BigCommerce puts in V3 error bodies. */
export const statusCodesType = 'https://developer.bigcommerce.com/api-docs/getting-started/api-status-codes';

/** A V2 error: an array of `{status, message}`. */
export function sendV2Error(response: Response, status: number, message: string): void {
  response.status(status).json([{ status, message }]);
}

/** A V3 error: `{status, title, type, errors}`; inventory answers as problem+json. */
export function sendV3Error(
  response: Response,
  status: number,
  title: string,
  errors: Record<string, string> = {},
  problemJson = false,
): void {
  response.status(status);
  if (problemJson) response.type('application/problem+json');
  response.send(JSON.stringify({ status, title, type: statusCodesType, errors }));
}

/** V3 `meta.pagination` with relative links, as the real API writes them. */
export function v3Pagination(total: number, page: number, limit: number, count: number) {
  const totalPages = Math.max(1, Math.ceil(total / limit));
  const link = (target: number) => `?page=${target}&limit=${limit}`;
  return {
    pagination: {
      total,
      count,
      per_page: limit,
      current_page: page,
      total_pages: totalPages,
      links: { ...(page > 1 && { previous: link(page - 1) }), current: link(page), ...(page < totalPages && { next: link(page + 1) }) },
    },
  };
}

/** Reads `page` and `limit` (1-based page; limit capped at `max`); undefined when malformed. */
export function readPaging(query: Record<string, unknown>, max = 250, fallback = 50): { page: number; limit: number } | undefined {
  const page = query.page === undefined ? 1 : Number(query.page);
  const limit = query.limit === undefined ? fallback : Number(query.limit);
  if (!Number.isInteger(page) || page < 1 || !Number.isInteger(limit) || limit < 1) return undefined;
  return { page, limit: Math.min(limit, max) };
}

/** Splits a comma-separated `:in` filter. */
export function listFilter(value: unknown): string[] | undefined {
  return typeof value === 'string' && value !== '' ? value.split(',').map((entry) => entry.trim()) : undefined;
}
