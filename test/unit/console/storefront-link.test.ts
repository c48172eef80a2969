import { describe, expect, it } from 'vitest';
import { storefrontOrderLink } from '../../../console/pages/storefront-link.js';

describe('storefrontOrderLink', () => {
  it('when the tenant is on BigCommerce itself, then the order is a page of its control panel', () => {
    expect(storefrontOrderLink({ kind: 'bigcommerce', storeHash: 'abc123', apiBaseUrl: 'https://api.bigcommerce.com/' }, '1001')).toEqual({
      kind: 'page',
      url: 'https://store-abc123.mybigcommerce.com/manage/orders/1001',
      label: 'Order 1001 in the BigCommerce control panel',
    });
  });

  it('when the tenant is on another BigCommerce API host (the sandbox), then the order is its API address, saying why', () => {
    expect(storefrontOrderLink({ kind: 'bigcommerce', storeHash: 'demostore', apiBaseUrl: 'http://127.0.0.1:4002' }, '7')).toEqual({
      kind: 'address',
      address: 'http://127.0.0.1:4002/stores/demostore/v2/orders/7',
      label: 'BigCommerce order 7',
      why: 'this tenant talks to a BigCommerce API other than api.bigcommerce.com (the sandbox), which has no control panel',
    });
  });

  it('when the tenant is on Clarity, then the order is its API resource; an id with a slash stays one segment', () => {
    expect(storefrontOrderLink({ kind: 'clarity', baseUrl: 'https://shop.example.com/api/v1/' }, 'ORD/9')).toMatchObject({
      kind: 'address',
      address: 'https://shop.example.com/api/v1/orders/ORD%2F9',
      label: 'Clarity order ORD/9',
    });
  });
});
