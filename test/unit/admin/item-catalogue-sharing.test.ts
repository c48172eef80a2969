import { describe, expect, it } from 'vitest';
import type { AdminDependencies } from '../../../api/admin/context.js';
import { itemCatalogueCache } from '../../../api/admin/item-suggestion-actions.js';

/** Dependencies as the admin API and the console each receive them: their own object, the process's database handle. */
const dependenciesOn = (db: object) => ({ db }) as unknown as AdminDependencies;

describe("the process's item catalogue cache", () => {
  it('when the admin API and the console ask on the same database then they share one cache', () => {
    const db = {};
    expect(itemCatalogueCache(dependenciesOn(db))).toBe(itemCatalogueCache(dependenciesOn(db)));
  });

  it('when another database is asked for then it has a cache of its own', () => {
    expect(itemCatalogueCache(dependenciesOn({}))).not.toBe(itemCatalogueCache(dependenciesOn({})));
  });
});
