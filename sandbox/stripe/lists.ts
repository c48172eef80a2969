import { StripeApiError, invalidRequest } from './errors.js';
import { objectNames, type CollectionName, type StripeRecords } from './model.js';
import { optionalInteger, optionalString, type Params } from './params.js';
import type { StripeWorld } from './world.js';

/** The parameters every list endpoint takes besides its filters. */
export const listParams = ['limit', 'starting_after', 'ending_before', 'expand'] as const;

type RecordOf<C extends CollectionName> = StripeRecords[C][number];

/**
 * One page of a collection as Stripe's list object: newest first, `limit` (1–100, default 10)
 * items after `starting_after` or before `ending_before`, `has_more` telling whether the list
 * goes on in that direction, `url` the list's path.
 */
export function listPage<C extends CollectionName>(
  world: StripeWorld,
  collection: C,
  params: Params,
  url: string,
  matches: (record: RecordOf<C>) => boolean,
  render: (record: RecordOf<C>) => Record<string, unknown>,
): Record<string, unknown> {
  const limit = optionalInteger(params, 'limit') ?? 10;
  if (limit < 1 || limit > 100)
    throw invalidRequest('This value must be less than or equal to 100 and greater than or equal to 1.', 'limit');
  const startingAfter = optionalString(params, 'starting_after');
  const endingBefore = optionalString(params, 'ending_before');
  if (startingAfter !== undefined && endingBefore !== undefined)
    throw invalidRequest('You may only specify one of these parameters: ending_before, starting_after.', 'ending_before');
  const all = world.records[collection] as RecordOf<C>[];
  const position = (id: string, param: string): number => {
    const at = all.findIndex((record) => record.id === id);
    if (at < 0)
      throw new StripeApiError(400, {
        type: 'invalid_request_error',
        code: 'resource_missing',
        message: `No such ${objectNames[collection]}: '${id}'`,
        param,
      });
    return at;
  };
  let page: RecordOf<C>[];
  let hasMore: boolean;
  if (endingBefore !== undefined) {
    const anchor = position(endingBefore, 'ending_before');
    const newer = all.slice(anchor + 1).filter(matches);
    page = newer.slice(0, limit).reverse();
    hasMore = newer.length > limit;
  } else {
    const anchor = startingAfter === undefined ? all.length : position(startingAfter, 'starting_after');
    const older = all.slice(0, anchor).filter(matches).reverse();
    page = older.slice(0, limit);
    hasMore = older.length > limit;
  }
  return { object: 'list', data: page.map(render), has_more: hasMore, url };
}
