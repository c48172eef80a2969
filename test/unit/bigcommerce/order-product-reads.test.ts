import { describe, expect, it } from 'vitest';
import type { BigCommerceClient, Product } from '../../../connectors/bigcommerce/index.js';
import { readProductDetails } from '../../../activities/storefront-order-reads.js';
import type { StorefrontFieldReferences } from '../../../mappers/storefront-field-references.js';

const product = (id: number, brandId: number, categories: number[]): Product => ({
  id,
  name: `Product ${id}`,
  type: 'physical',
  sku: `SKU-${id}`,
  price: 10,
  inventory_level: 0,
  inventory_tracking: 'none',
  brand_id: brandId,
  categories,
  custom_fields: [{ name: 'Product Line', value: 'Apparel' }],
});

/** A catalogue that answers from three products and records every request the read makes. */
function recordingCatalog() {
  const requests: string[] = [];
  const products = [product(111, 35, [18, 19]), product(112, 0, [21]), product(113, 35, [18])];
  const page = <T>(data: T[]) => Promise.resolve({ data, pagination: undefined });
  const catalog = {
    listProducts: (filter: { ids?: number[]; includeCustomFields?: boolean } = {}) => {
      requests.push(`products ${filter.ids?.join(',')}${filter.includeCustomFields ? ' +custom_fields' : ''}`);
      return page(products.filter((each) => filter.ids?.includes(each.id)));
    },
    listBrands: ({ ids }: { ids: number[] }) => {
      requests.push(`brands ${ids.join(',')}`);
      return page([{ id: 35, name: 'Trailhead' }].filter((brand) => ids.includes(brand.id)));
    },
    listCategories: ({ ids }: { ids: number[] }) => {
      requests.push(`categories ${ids.join(',')}`);
      const names: Record<number, string> = { 18: 'Apparel', 19: 'Tees', 21: 'Kitchen' };
      return page(ids.map((id) => ({ category_id: id, name: names[id]! })));
    },
  } as unknown as BigCommerceClient['catalog'];
  return { catalog, requests };
}

const references = (named: Partial<StorefrontFieldReferences>): StorefrontFieldReferences => ({
  orderMetafields: [],
  productCustomFields: [],
  ...named,
});

describe('readProductDetails: what the order read asks the store about its products', () => {
  it.each<{ case: string; named: StorefrontFieldReferences | undefined; requests: string[]; kept: string[] }>([
    { case: 'the settings name nothing', named: undefined, requests: [], kept: [] },
    { case: 'rules name metafields only', named: references({ orderMetafields: ['erp.costCenter'] }), requests: [], kept: [] },
    {
      case: 'rules name a product custom field only',
      named: references({ productCustomFields: ['Product Line'] }),
      requests: ['products 111,112,113 +custom_fields'],
      kept: ['productCustomFields'],
    },
    {
      case: 'rules name brand and category ids only',
      named: references({ productClassification: ['brandId', 'categoryIds'] }),
      requests: ['products 111,112,113'],
      kept: ['productClassification'],
    },
    {
      case: 'rules name brand names',
      named: references({ productClassification: ['brand'] }),
      requests: ['products 111,112,113', 'brands 35'],
      kept: ['productClassification', 'brandNames'],
    },
    {
      case: 'rules name category names and a custom field',
      named: references({ productCustomFields: ['Product Line'], productClassification: ['categories'] }),
      requests: ['products 111,112,113 +custom_fields', 'categories 18,19,21'],
      kept: ['productCustomFields', 'productClassification', 'categoryNames'],
    },
    {
      case: 'rules name brands and categories',
      named: references({ productClassification: ['brand', 'categories'] }),
      requests: ['products 111,112,113', 'brands 35', 'categories 18,19,21'],
      kept: ['productClassification', 'brandNames', 'categoryNames'],
    },
  ])('when $case, then it asks for $requests', async ({ named, requests, kept }) => {
    const recorded = recordingCatalog();
    const details = await readProductDetails(recorded.catalog, [111, 112, 113], named);
    expect(recorded.requests).toEqual(requests);
    expect(Object.keys(details)).toEqual(kept);
  });

  it('when the order has no catalogue products, then nothing is asked', async () => {
    const recorded = recordingCatalog();
    expect(await readProductDetails(recorded.catalog, [], references({ productClassification: ['brand', 'categories'] }))).toEqual({});
    expect(recorded.requests).toEqual([]);
  });

  it('when no product has a brand, then no brand request is made', async () => {
    const recorded = recordingCatalog();
    await readProductDetails(recorded.catalog, [112], references({ productClassification: ['brand'] }));
    expect(recorded.requests).toEqual(['products 112']);
  });

  it('when names are read, then they come back by id for the mapper', async () => {
    const recorded = recordingCatalog();
    const details = await readProductDetails(recorded.catalog, [111, 112], references({ productClassification: ['brand', 'categories'] }));
    expect(details).toEqual({
      productClassification: { '111': { brand_id: 35, categories: [18, 19] }, '112': { brand_id: 0, categories: [21] } },
      brandNames: { '35': 'Trailhead' },
      categoryNames: { '18': 'Apparel', '19': 'Tees', '21': 'Kitchen' },
    });
  });

  it('when more than 250 products are read, then each request asks for at most 250', async () => {
    const recorded = recordingCatalog();
    const ids = Array.from({ length: 300 }, (_, index) => 1000 + index);
    await readProductDetails(recorded.catalog, ids, references({ productClassification: ['brandId'] }));
    expect(recorded.requests.map((request) => request.split(' ')[1]!.split(',').length)).toEqual([250, 50]);
  });
});
