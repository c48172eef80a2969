import { describe, expect, it } from 'vitest';
import { seedData } from '../../../sandbox/bigcommerce/seed.js';
import { seedSkus, seedStore } from '../../../sandbox/clarity/seed.js';
import { ClarityStore } from '../../../sandbox/clarity/store.js';
import { seedCompany } from '../../../sandbox/intacct/seed.js';

interface StorefrontSku {
  store: string;
  sku: string;
  sellable: boolean;
  stockTracked: boolean;
}

/** Every variant SKU of the BigCommerce demo store (a variant-tracked product's own SKU is only its parent). */
function bigCommerceSkus(): StorefrontSku[] {
  return seedData().products.flatMap((product) =>
    product.variants.map((variant) => ({
      store: 'bigcommerce',
      sku: variant.sku,
      sellable: true,
      stockTracked: product.tracking !== 'none',
    })),
  );
}

function claritySkus(): StorefrontSku[] {
  const store = new ClarityStore(() => Date.parse('2026-11-01T00:00:00Z'));
  seedStore(store);
  return [...store.products.values()].map((product) => ({
    store: 'clarity',
    sku: product.sku,
    sellable: product.active,
    stockTracked: product.tracked,
  }));
}

describe('Intacct sandbox demo company against the storefront sandboxes', () => {
  const company = seedCompany();
  const storefronts = [...bigCommerceSkus(), ...claritySkus()];

  it('when the Clarity store is seeded then it carries exactly the SKUs it exports', () => {
    expect(
      claritySkus()
        .map(({ sku }) => sku)
        .sort(),
    ).toEqual([...seedSkus].sort());
  });

  it.each(storefronts.filter(({ sellable }) => sellable).map((entry) => [entry.store, entry.sku, entry] as const))(
    'when a %s order carries %s then an active Intacct item has that id and the same stock treatment',
    (_store, sku, entry) => {
      const item = company.getById('ITEM', sku);
      expect(item, `no Intacct item ${sku}`).toBeDefined();
      expect(item?.STATUS).toBe('active');
      expect(item?.ITEMTYPE === 'Inventory').toBe(entry.stockTracked);
      if (entry.stockTracked) expect(company.where('ITEMWAREHOUSEINFO', 'ITEMID', sku).map((row) => row.WAREHOUSEID)).toContain('WH01');
    },
  );

  it('when a storefront product is discontinued then Intacct knows the item too, inactive like in the store', () => {
    const retired = storefronts.filter(({ sellable }) => !sellable);
    expect(retired.map(({ sku }) => sku)).toEqual(['POSTER-CITY-A2']);
    for (const { sku } of retired) expect(company.getById('ITEM', sku)?.STATUS).toBe('inactive');
  });
});
