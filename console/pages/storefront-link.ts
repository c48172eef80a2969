import { bigCommerceApiUrl } from '../../store/schemas/settings-connection.js';
import type { TenantSettings } from '../../store/schemas/settings.js';

/**
 * Where an operator sees a storefront order in the storefront itself: a page to link to, or an
 * address to read with why it is not a page of the store's own admin.
 */
export type StorefrontOrderLink =
  { kind: 'page'; url: string; label: string } | { kind: 'address'; address: string; label: string; why: string };

/**
 * The storefront's own place of an order (pure). BigCommerce: the order in the store's control
 * panel (`https://store-{hash}.mybigcommerce.com/manage/orders/{id}`). A tenant pointed at
 * another API host (the sandbox) has no control panel, so the order's API address is given
 * instead. Clarity: its contract (a proposal, docs/architecture.md) has an API and no admin
 * page, so the order's API resource `{baseUrl}/orders/{id}` is given.
 */
export function storefrontOrderLink(storefront: TenantSettings['connection']['storefront'], orderId: string): StorefrontOrderLink {
  const id = encodeURIComponent(orderId);
  if (storefront.kind === 'bigcommerce') {
    if (storefront.apiBaseUrl.replace(/\/+$/, '') === bigCommerceApiUrl)
      return {
        kind: 'page',
        url: `https://store-${storefront.storeHash}.mybigcommerce.com/manage/orders/${id}`,
        label: `Order ${orderId} in the BigCommerce control panel`,
      };
    return {
      kind: 'address',
      address: `${storefront.apiBaseUrl.replace(/\/+$/, '')}/stores/${storefront.storeHash}/v2/orders/${id}`,
      label: `BigCommerce order ${orderId}`,
      why: 'this tenant talks to a BigCommerce API other than api.bigcommerce.com (the sandbox), which has no control panel',
    };
  }
  return {
    kind: 'address',
    address: `${storefront.baseUrl.replace(/\/+$/, '')}/orders/${id}`,
    label: `Clarity order ${orderId}`,
    why: "Clarity's contract has an API and no admin page address; find the order by its id in Clarity's admin",
  };
}
