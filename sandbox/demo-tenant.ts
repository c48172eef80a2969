import { randomBytes } from 'node:crypto';
import type { Db } from 'mongodb';
import type { CredentialCipher } from '../store/credential-cipher.js';
import { loadCredentials, saveCredentials } from '../store/credentials.js';
import { upsertMappingRows } from '../store/mappings.js';
import { parseTenantSettings, type TenantSettingsInput } from '../store/schemas/settings.js';
import { readSettings, writeSettings } from '../store/settings.js';
import { createTenant } from '../store/tenants.js';
import type { StorefrontKind } from '../mappers/canonical-order.js';

/** The demo tenant's id and fixed sandbox credentials (docs/architecture.md "Sandbox contract"). */
export const demoTenant = {
  id: 'demo',
  name: 'Demo Store (sandbox)',
  intacct: {
    companyId: 'DEMO-CO',
    senderId: 'demo-sender',
    senderPassword: 'demo-sender-pw',
    userId: 'sync-user',
    userPassword: 'demo-user-pw',
  },
  bigcommerce: { storeHash: 'demostore', accessToken: 'demo-bc-token', clientId: 'demo-bc-client', clientSecret: 'demo-bc-secret' },
} as const;

/** The Intacct sandbox's non-inventory items for order-level amounts, as adjustmentItems rows. */
export const demoAdjustmentItems = [
  { key: 'shipping', row: { kind: 'shipping', intacctItemId: 'SHIPPING' } },
  { key: 'handling', row: { kind: 'handling', intacctItemId: 'SHIPPING' } },
  { key: 'discount', row: { kind: 'discount', intacctItemId: 'DISCOUNT' } },
  { key: 'tax', row: { kind: 'tax', intacctItemId: 'SALES-TAX' } },
];

/**
 * The demo company's order-sync settings for either storefront: sync from Awaiting Fulfillment
 * (BigCommerce 11, Clarity `processing`) or a later paid status, cancel on Cancelled (which runs
 * the compensations), guests on WEB-GUEST, customers matched by email or created.
 */
export function demoOrderSync(storefront: StorefrontKind) {
  const statuses =
    storefront === 'bigcommerce'
      ? { triggerStatuses: ['11', '9', '8', '3', '2', '10'], cancelStatuses: ['5'] }
      : { triggerStatuses: ['processing', 'fulfilled'], cancelStatuses: ['cancelled'] };
  return {
    ...statuses,
    transactionDefinition: 'Sales Order',
    guestOrders: { enabled: true, customerId: 'WEB-GUEST' },
    customerMatching: { matchKey: 'email' as const, createWhenNoMatch: true },
    defaultPaymentTerm: 'Due on Receipt',
    defaultWarehouseId: 'WH01',
    payments: { defaultAccount: { undepositedFunds: true, glAccountNo: '1050' } },
  };
}

export interface SandboxUrls {
  intacct: string;
  bigcommerce: string;
}

/**
 * Creates the demo tenant against the sandboxes, or leaves it as it is: a second run changes
 * nothing an operator may have edited (settings keep their version; mapping rows and the
 * webhook secret are only added when missing). Credentials are the fixed demo ones.
 */
export async function seedDemoTenant(db: Db, cipher: CredentialCipher, urls: SandboxUrls): Promise<{ created: boolean }> {
  const created = await createTenant(db, { id: demoTenant.id, name: demoTenant.name, storefront: 'bigcommerce' });

  if ((await readSettings(db, demoTenant.id)) === null) {
    const input: TenantSettingsInput = {
      connection: {
        storefront: { kind: 'bigcommerce', storeHash: demoTenant.bigcommerce.storeHash, apiBaseUrl: urls.bigcommerce },
        intacct: { companyId: demoTenant.intacct.companyId, endpointUrl: `${urls.intacct}/ia/xml/xmlgw.phtml` },
      },
      orderSync: demoOrderSync('bigcommerce'),
      timezone: 'America/Chicago',
    };
    const parsed = parseTenantSettings(input);
    if (!parsed.ok) throw new Error(`demo settings are invalid: ${JSON.stringify(parsed.errors)}`);
    await writeSettings(db, demoTenant.id, parsed.settings, { expectedVersion: 0, changedBy: 'demo-seed' }).catch((error: Error) => {
      // A concurrent seed wrote version 1 first: the demo tenant exists, which is the goal.
      if (error.name !== 'StaleSettingsVersionError') throw error;
    });
  }

  const { senderId, senderPassword, userId, userPassword } = demoTenant.intacct;
  await saveCredentials(db, cipher, demoTenant.id, 'intacct', { senderId, senderPassword, userId, userPassword });
  const { accessToken, clientId, clientSecret } = demoTenant.bigcommerce;
  await saveCredentials(db, cipher, demoTenant.id, 'bigcommerce', { accessToken, clientId, clientSecret });
  if ((await loadCredentials(db, cipher, demoTenant.id, 'webhook')) === undefined) {
    await saveCredentials(db, cipher, demoTenant.id, 'webhook', {
      secrets: [{ secret: randomBytes(24).toString('base64url'), createdAt: new Date().toISOString() }],
    });
  }

  if (created) {
    await upsertMappingRows(db, demoTenant.id, 'adjustmentItems', demoAdjustmentItems, 'demo-seed');
  }
  return { created };
}
