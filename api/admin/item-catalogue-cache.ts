import { ItemSuggestionIndex, type SuggestibleItem } from '../../mappers/item-suggestions.js';
import type { IntacctCatalogueItem } from '../../connectors/intacct/index.js';

/** Reads a tenant's Intacct items page by page, all or those modified since a `WHENMODIFIED`. */
export type CatalogueReader = (tenantId: string, modifiedSince: string | undefined) => AsyncIterable<IntacctCatalogueItem[]>;

interface TenantCatalogue {
  items: Map<string, IntacctCatalogueItem>;
  /** The latest `WHENMODIFIED` seen, where the next refresh starts. */
  newestModified: string | undefined;
  index: ItemSuggestionIndex;
  checkedAt: number;
}

/** `MM/DD/YYYY HH:MM:SS` as a sortable key. */
const sortableTimestamp = (value: string) => value.replace(/^(\d{2})\/(\d{2})\/(\d{4})(.*)$/, '$3$1$2$4');

/**
 * Each tenant's Intacct items, held in this process and refreshed by `WHENMODIFIED`: the first
 * request reads them all in pages, later ones (at most once per `refreshAfterMs`) read only the
 * items modified since the newest seen, and the suggestion index is rebuilt only when one
 * changed. Intacct bills each page, so a request does not re-read the catalogue.
 */
export class IntacctItemCatalogueCache {
  private readonly catalogues = new Map<string, Promise<TenantCatalogue>>();

  constructor(
    private readonly read: CatalogueReader,
    private readonly options: { refreshAfterMs?: number; now?: () => number } = {},
  ) {}

  /** The tenant's suggestion index, read or refreshed as needed. */
  async index(tenantId: string): Promise<ItemSuggestionIndex> {
    const now = (this.options.now ?? Date.now)();
    const cached = this.catalogues.get(tenantId);
    const next = cached === undefined ? this.load(tenantId, now) : cached.then((catalogue) => this.refresh(tenantId, catalogue, now));
    // A failed read is not kept: the next request tries again.
    const settled = next.catch((error: unknown) => {
      if (this.catalogues.get(tenantId) === settled) this.catalogues.delete(tenantId);
      throw error;
    });
    this.catalogues.set(tenantId, settled);
    return (await settled).index;
  }

  /** Forgets a tenant's items (its Intacct connection changed). */
  forget(tenantId: string): void {
    this.catalogues.delete(tenantId);
  }

  private async load(tenantId: string, now: number): Promise<TenantCatalogue> {
    const items = new Map<string, IntacctCatalogueItem>();
    let newestModified: string | undefined;
    for await (const page of this.read(tenantId, undefined))
      for (const item of page) {
        items.set(item.itemId, item);
        newestModified = newer(newestModified, item.whenModified);
      }
    return { items, newestModified, index: buildIndex(items), checkedAt: now };
  }

  private async refresh(tenantId: string, catalogue: TenantCatalogue, now: number): Promise<TenantCatalogue> {
    if (now - catalogue.checkedAt < (this.options.refreshAfterMs ?? 60_000)) return catalogue;
    let changed = false;
    let { newestModified } = catalogue;
    for await (const page of this.read(tenantId, catalogue.newestModified))
      for (const item of page) {
        const known = catalogue.items.get(item.itemId);
        if (known?.whenModified !== item.whenModified || known.status !== item.status || known.name !== item.name || known.upc !== item.upc)
          changed = true;
        catalogue.items.set(item.itemId, item);
        newestModified = newer(newestModified, item.whenModified);
      }
    return { items: catalogue.items, newestModified, index: changed ? buildIndex(catalogue.items) : catalogue.index, checkedAt: now };
  }
}

function newer(current: string | undefined, candidate: string): string | undefined {
  if (candidate === '') return current;
  return current === undefined || sortableTimestamp(candidate) > sortableTimestamp(current) ? candidate : current;
}

/** Active items only: an inactive item cannot be sold, so it is never suggested. */
function buildIndex(items: ReadonlyMap<string, IntacctCatalogueItem>): ItemSuggestionIndex {
  const suggestible: SuggestibleItem[] = [];
  for (const item of items.values()) {
    if (item.status.trim().toLowerCase() !== 'active') continue;
    const basePrice = Number.parseFloat(item.basePrice);
    suggestible.push({
      itemId: item.itemId,
      name: item.name,
      ...(Number.isFinite(basePrice) && basePrice > 0 && { basePrice }),
      ...(item.unit !== '' && { unit: item.unit }),
      ...(item.upc.trim() !== '' && { upc: item.upc.trim() }),
    });
  }
  return new ItemSuggestionIndex(suggestible);
}
