import { ObjectId, type Collection, type Document, type Filter, type WithId } from 'mongodb';

export interface Page<T> {
  items: T[];
  /** Pass back as `cursor` for the next page; absent on the last page. */
  nextCursor?: string;
}

/**
 * Keyset pagination by `_id`: stable while new rows arrive, unlike skip/limit. With ObjectIds
 * that is insertion order (`newestFirst` reverses it); collections whose ids are derived from a
 * key (the ledger) page in key order.
 */
export async function findPage<T extends Document>(
  collection: Collection<T>,
  filter: Filter<T>,
  options: { limit: number; cursor?: string | undefined; newestFirst?: boolean },
): Promise<Page<WithId<T>>> {
  const cursor =
    options.cursor === undefined ? undefined : /^[0-9a-f]{24}$/i.test(options.cursor) ? new ObjectId(options.cursor) : options.cursor;
  const after = cursor === undefined ? {} : { _id: options.newestFirst ? { $lt: cursor } : { $gt: cursor } };
  const rows = await collection
    .find({ ...filter, ...after } as Filter<T>)
    .sort({ _id: options.newestFirst ? -1 : 1 })
    .limit(options.limit + 1)
    .toArray();
  const items = rows.slice(0, options.limit);
  const last = items.at(-1);
  return rows.length > options.limit && last ? { items, nextCursor: String(last._id) } : { items };
}
