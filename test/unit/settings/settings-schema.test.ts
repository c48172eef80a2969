import { describe, expect, it } from 'vitest';
import {
  bigCommerceApiUrl,
  connectionSettingsSchema,
  defaultTenantSettings,
  intacctGatewayUrl,
  parseTenantSettings,
  tenantSettingsSchema,
  type TenantSettings,
} from '../../../store/schemas/settings.js';

const bigCommerce = { storefront: { kind: 'bigcommerce', storeHash: 'demostore' }, intacct: { companyId: 'DEMO-CO' } } as const;
const clarity = {
  storefront: { kind: 'clarity', baseUrl: 'https://shop.example.com/api/v1' },
  intacct: { companyId: 'ACME', entityId: 'US' },
} as const;

/** Settings that pass, with one override at a dotted path: the smallest valid base for each case. */
function withOrderSync(orderSync: Record<string, unknown>): unknown {
  return { connection: bigCommerce, orderSync: { triggerStatuses: ['11'], ...orderSync } };
}

function errorsOf(input: unknown): Array<{ path: string; message: string }> {
  const result = parseTenantSettings(input);
  return result.ok ? [] : result.errors;
}

function settingsOf(input: unknown): TenantSettings {
  const result = parseTenantSettings(input);
  if (!result.ok) throw new Error(`expected valid settings, got ${JSON.stringify(result.errors)}`);
  return result.settings;
}

const expectedCommonDefaults = {
  otherStatusAction: 'wait',
  waitForStatusHours: 72,
  transactionDefinition: 'Sales Order',
  documentNumberRule: { kind: 'intacctSequence' },
  guestOrders: { enabled: false },
  itemMatching: { storefrontField: 'sku', intacctField: 'ITEMID' },
  customerMatching: { matchKey: 'email', createWhenNoMatch: true },
  dueDate: { kind: 'paymentTerm' },
  adjustments: {
    shipping: 'separateLine',
    handling: 'separateLine',
    discount: 'subtotal',
    discountSubtotal: 'Discount',
    giftWrapping: 'separateLine',
    tax: 'separateLine',
  },
  tax: {},
  shipping: { consignments: 'firstAddress' },
  payments: { methods: [] },
  dimensionRules: [],
  currency: { baseCurrency: 'USD', exchangeRateType: 'Intacct Daily Rate' },
  fulfilment: { convertToInvoice: false, invoiceTransactionDefinition: 'Sales Invoice', pollIntacctMinutes: 60, watchDays: 30 },
  onPermanentFailure: 'park',
  sweep: { enabled: true, everyMinutes: 15, lookbackMinutes: 60 },
};

const expectedInventoryAndReturns = {
  inventory: {
    enabled: false,
    schedule: '*/15 * * * *',
    warehouseIds: [],
    availability: 'onHandMinusCommitted',
    safetyStock: 0,
    skus: { mode: 'all' },
  },
  catalog: {
    items: {
      enabled: false,
      schedule: '*/30 * * * *',
      fields: { name: 'intacct', price: 'intacct', cost: 'intacct', status: 'intacct', description: 'storefront', images: 'storefront' },
      createInIntacct: 'off',
      itemDefaults: { itemType: 'Inventory' },
      createInStorefront: { enabled: false, flagValue: 'true', visibility: 'hidden' },
      priceLists: {},
      priceListReconciliation: { enabled: true, hour: 0 },
    },
    customers: {
      enabled: false,
      schedule: '*/30 * * * *',
      groups: { priceLists: {}, customerTypes: {} },
      fields: {
        contact: 'lastChange',
        email: 'lastChange',
        addresses: 'lastChange',
        customerGroup: 'storefront',
        creditHold: 'intacct',
        priceGroup: 'intacct',
        terms: 'intacct',
      },
    },
  },
  returns: {
    enabled: false,
    creditMemoTransactionDefinition: 'Sales Credit Memo',
    restock: false,
    stockOffsetTransactionDefinition: 'Adjustment Decrease',
    beforeInvoice: 'reduceOrder',
  },
  intacctBudget: { alertAtPercent: [80, 100] },
  alerts: { channels: [], parked: { delivery: 'immediate', digestMinutes: 15 }, dailySummary: { schedule: '0 7 * * *' } },
  privacy: { retentionDays: 90 },
  anomalyChecks: {
    minimumHistory: 30,
    policies: {
      totalOutlier: 'off',
      linePriceOutlier: 'off',
      quantityOutlier: 'off',
      firstOrderLarge: 'off',
      countryMismatchHighValue: 'off',
      emailVelocity: 'off',
      unseenCurrency: 'off',
    },
  },
  mappingAssistant: { autoApply: { enabled: false, minConfidence: 0.9 } },
  rules: [],
  timezone: 'UTC',
};

describe('defaultTenantSettings', () => {
  it('when the storefront is BigCommerce then it fills every default and syncs from Awaiting Fulfillment and later paid statuses', () => {
    expect(defaultTenantSettings(bigCommerce)).toStrictEqual({
      connection: {
        storefront: { kind: 'bigcommerce', storeHash: 'demostore', apiBaseUrl: 'https://api.bigcommerce.com' },
        intacct: { companyId: 'DEMO-CO', endpointUrl: 'https://api.intacct.com/ia/xml/xmlgw.phtml' },
      },
      orderSync: { triggerStatuses: ['11', '9', '8', '3', '2', '10'], cancelStatuses: ['5'], ...expectedCommonDefaults },
      ...expectedInventoryAndReturns,
    });
  });

  it('when the storefront is Clarity then statuses are Clarity status names', () => {
    expect(defaultTenantSettings(clarity)).toStrictEqual({
      connection: {
        storefront: { kind: 'clarity', baseUrl: 'https://shop.example.com/api/v1' },
        intacct: { companyId: 'ACME', entityId: 'US', endpointUrl: intacctGatewayUrl },
      },
      orderSync: { triggerStatuses: ['processing', 'fulfilled'], cancelStatuses: ['cancelled'], ...expectedCommonDefaults },
      ...expectedInventoryAndReturns,
    });
  });

  it('when the connection is invalid then it throws instead of returning half-made settings', () => {
    expect(() =>
      defaultTenantSettings({ storefront: { kind: 'bigcommerce', storeHash: 'Demo Store' }, intacct: { companyId: 'X' } }),
    ).toThrow('storeHash');
  });

  it('returns settings that parse to themselves, so stored defaults stay valid', () => {
    const settings = defaultTenantSettings(bigCommerce);
    expect(parseTenantSettings(settings)).toStrictEqual({ ok: true, settings });
  });

  it('returns independent lists, so one tenant editing its copy does not change the next tenant', () => {
    const first = defaultTenantSettings(bigCommerce);
    first.orderSync.payments.methods.push({ method: 'Cash', account: { undepositedFunds: true } });
    first.inventory.warehouseIds.push('WH1');
    const second = defaultTenantSettings(bigCommerce);
    expect(second.orderSync.payments.methods).toStrictEqual([]);
    expect(second.inventory.warehouseIds).toStrictEqual([]);
  });

  it('names the real endpoints as defaults', () => {
    expect(intacctGatewayUrl).toBe('https://api.intacct.com/ia/xml/xmlgw.phtml');
    expect(bigCommerceApiUrl).toBe('https://api.bigcommerce.com');
  });
});

describe('parseTenantSettings: what has no default', () => {
  it('when nothing is given then it asks for the connection and the statuses that trigger sync', () => {
    expect(errorsOf({})).toStrictEqual([
      { path: 'connection', message: 'connection is required' },
      { path: 'orderSync.triggerStatuses', message: 'list at least one storefront status that triggers sync' },
    ]);
  });

  it('when only the connection and trigger statuses are given then everything else takes its default', () => {
    expect(settingsOf(withOrderSync({}))).toStrictEqual({
      connection: {
        storefront: { kind: 'bigcommerce', storeHash: 'demostore', apiBaseUrl: bigCommerceApiUrl },
        intacct: { companyId: 'DEMO-CO', endpointUrl: intacctGatewayUrl },
      },
      orderSync: { triggerStatuses: ['11'], cancelStatuses: [], ...expectedCommonDefaults },
      ...expectedInventoryAndReturns,
    });
  });

  it('when the input is not an object then it says so at the root', () => {
    expect(errorsOf('settings')).toStrictEqual([{ path: '', message: 'Invalid input: expected object, received string' }]);
  });
});

describe('parseTenantSettings: connection', () => {
  it.each([
    [
      'an unknown storefront kind',
      { storefront: { kind: 'shopify' }, intacct: { companyId: 'C' } },
      [{ path: 'connection.storefront.kind', message: 'storefront.kind must be bigcommerce or clarity' }],
    ],
    [
      'a store hash with upper case and spaces',
      { storefront: { kind: 'bigcommerce', storeHash: 'Demo Store' }, intacct: { companyId: 'C' } },
      [{ path: 'connection.storefront.storeHash', message: 'storeHash is the lower-case letters and digits in the store API path' }],
    ],
    [
      'a Clarity connection without its base URL',
      { storefront: { kind: 'clarity' }, intacct: { companyId: 'C' } },
      [{ path: 'connection.storefront.baseUrl', message: 'baseUrl is required' }],
    ],
    [
      'a base URL that is not http',
      { storefront: { kind: 'clarity', baseUrl: 'ftp://shop.example.com' }, intacct: { companyId: 'C' } },
      [{ path: 'connection.storefront.baseUrl', message: 'baseUrl must be an http or https URL' }],
    ],
    [
      'an Intacct endpoint that is not a URL',
      { storefront: { kind: 'bigcommerce', storeHash: 'abc' }, intacct: { companyId: 'C', endpointUrl: 'gateway' } },
      [{ path: 'connection.intacct.endpointUrl', message: 'endpointUrl must be an http or https URL' }],
    ],
    [
      'a missing company id',
      { storefront: { kind: 'bigcommerce', storeHash: 'abc' }, intacct: {} },
      [{ path: 'connection.intacct.companyId', message: 'companyId is required' }],
    ],
    [
      'a blank company id',
      { storefront: { kind: 'bigcommerce', storeHash: 'abc' }, intacct: { companyId: '  ' } },
      [{ path: 'connection.intacct.companyId', message: 'companyId must not be empty' }],
    ],
    [
      'a secret put among the settings',
      { storefront: { kind: 'bigcommerce', storeHash: 'abc', accessToken: 'x' }, intacct: { companyId: 'C', userPassword: 'p' } },
      [
        { path: 'connection.storefront.accessToken', message: 'accessToken is not a known setting' },
        { path: 'connection.intacct.userPassword', message: 'userPassword is not a known setting' },
      ],
    ],
  ])('when the connection has %s then it is refused', (_case, connection, expected) => {
    expect(errorsOf({ connection, orderSync: { triggerStatuses: ['11'] } })).toStrictEqual(expected);
  });

  it('when the sandbox endpoints are given then they replace the real ones', () => {
    const settings = settingsOf({
      connection: {
        storefront: { kind: 'bigcommerce', storeHash: 'demostore', apiBaseUrl: 'http://localhost:4002' },
        intacct: { companyId: 'DEMO-CO', endpointUrl: 'http://localhost:4001/ia/xml/xmlgw.phtml' },
      },
      orderSync: { triggerStatuses: ['11'] },
    });
    expect(settings.connection).toStrictEqual({
      storefront: { kind: 'bigcommerce', storeHash: 'demostore', apiBaseUrl: 'http://localhost:4002' },
      intacct: { companyId: 'DEMO-CO', endpointUrl: 'http://localhost:4001/ia/xml/xmlgw.phtml' },
    });
  });

  it('trims identifiers, since a pasted company id often carries a space', () => {
    expect(
      connectionSettingsSchema.parse({ storefront: { kind: 'bigcommerce', storeHash: 'abc' }, intacct: { companyId: ' DEMO-CO ' } }).intacct
        .companyId,
    ).toBe('DEMO-CO');
  });
});

describe('parseTenantSettings: cross-field rules', () => {
  it.each([
    [
      'guest orders on without a guest customer',
      withOrderSync({ guestOrders: { enabled: true } }),
      [{ path: 'orderSync.guestOrders.customerId', message: 'guest orders are on, so the Intacct customer used for guests is required' }],
    ],
    ['guest orders on with a guest customer', withOrderSync({ guestOrders: { enabled: true, customerId: 'GUEST' } }), []],
    ['guest orders off without a guest customer', withOrderSync({ guestOrders: { enabled: false } }), []],
    [
      'no customer creation and no match key',
      withOrderSync({ customerMatching: { matchKey: 'none', createWhenNoMatch: false } }),
      [
        {
          path: 'orderSync.customerMatching.matchKey',
          message: 'customers are not created when no match is found, so a match key other than none is required',
        },
      ],
    ],
    [
      'no customer creation with an email match key',
      withOrderSync({ customerMatching: { matchKey: 'email', createWhenNoMatch: false } }),
      [],
    ],
    ['customer creation with no match key', withOrderSync({ customerMatching: { matchKey: 'none', createWhenNoMatch: true } }), []],
    [
      'a field match key on the company',
      withOrderSync({ customerMatching: { matchKey: 'field', matchField: { shopper: 'company', intacct: 'DISPLAYCONTACT.COMPANYNAME' } } }),
      [],
    ],
    [
      'a field match key without its field',
      withOrderSync({ customerMatching: { matchKey: 'field' } }),
      [
        {
          path: 'orderSync.customerMatching.matchField',
          message:
            'matchKey field needs matchField: the shopper field (customerId, email, phone or company) and the Intacct CUSTOMER field it is looked up in',
        },
      ],
    ],
    [
      'a match field under another match key',
      withOrderSync({ customerMatching: { matchKey: 'email', matchField: { shopper: 'company', intacct: 'COMPANYNAME' } } }),
      [{ path: 'orderSync.customerMatching.matchField', message: 'matchField is read only with matchKey field, not email' }],
    ],
    [
      'a match field naming no Intacct field',
      withOrderSync({ customerMatching: { matchKey: 'field', matchField: { shopper: 'fax', intacct: 'company name' } } }),
      [
        {
          path: 'orderSync.customerMatching.matchField.shopper',
          message: 'matchField.shopper must be one of customerId, email, phone, company',
        },
        {
          path: 'orderSync.customerMatching.matchField.intacct',
          message: 'matchField.intacct must be an Intacct CUSTOMER field name in upper case, e.g. DISPLAYCONTACT.COMPANYNAME',
        },
      ],
    ],
    [
      'a payment method without account and no default account',
      withOrderSync({ payments: { methods: [{ method: 'Cash' }] } }),
      [
        {
          path: 'orderSync.payments.methods.0.account',
          message: 'payment method "Cash" has no account and there is no default account to fall back to',
        },
      ],
    ],
    [
      'a payment method without account and a default account',
      withOrderSync({ payments: { defaultAccount: { undepositedFunds: true }, methods: [{ method: 'Cash' }] } }),
      [],
    ],
    [
      'a payment method with its own account and no default',
      withOrderSync({ payments: { methods: [{ method: 'Card', account: { bankAccountId: 'BOA' } }] } }),
      [],
    ],
    [
      'a payment method listed twice',
      withOrderSync({
        payments: {
          methods: [
            { method: 'Card', account: { glAccountNo: '1000' } },
            { method: 'Card', account: { glAccountNo: '1010' } },
          ],
        },
      }),
      [{ path: 'orderSync.payments.methods.1.method', message: 'payment method "Card" is listed twice' }],
    ],
    [
      'an account naming nothing',
      withOrderSync({ payments: { defaultAccount: {} } }),
      [{ path: 'orderSync.payments.defaultAccount', message: 'name a glAccountNo or a bankAccountId, or set undepositedFunds' }],
    ],
    [
      'an account both undeposited and at a bank',
      withOrderSync({ payments: { defaultAccount: { undepositedFunds: true, bankAccountId: 'BOA' } } }),
      [
        {
          path: 'orderSync.payments.defaultAccount.bankAccountId',
          message: 'a payment goes to undeposited funds or to a bank account, not both',
        },
      ],
    ],
    [
      'a status that both triggers and cancels',
      withOrderSync({ triggerStatuses: ['11', '5'], cancelStatuses: ['5'] }),
      [{ path: 'orderSync.cancelStatuses.0', message: 'status "5" cannot both trigger sync and cancel' }],
    ],
    [
      'two rules for one dimension',
      withOrderSync({
        dimensionRules: [
          { dimension: 'department', from: 'constant', value: 'D1' },
          { dimension: 'department', from: 'storefrontChannel' },
        ],
      }),
      [{ path: 'orderSync.dimensionRules.1.dimension', message: 'department has more than one rule; a dimension takes one value' }],
    ],
    [
      'a constant rule without its value',
      withOrderSync({ dimensionRules: [{ dimension: 'class', from: 'constant' }] }),
      [{ path: 'orderSync.dimensionRules.0.value', message: 'constant rules need value (the Intacct id)' }],
    ],
    [
      'an order attribute rule without the attribute',
      withOrderSync({ dimensionRules: [{ dimension: 'project', from: 'orderAttribute' }] }),
      [{ path: 'orderSync.dimensionRules.0.value', message: 'orderAttribute rules need value (the order attribute name)' }],
    ],
    ['a channel rule without a value', withOrderSync({ dimensionRules: [{ dimension: 'location', from: 'storefrontChannel' }] }), []],
    [
      'an unknown dimension',
      withOrderSync({ dimensionRules: [{ dimension: 'employee', from: 'constant', value: 'E1' }] }),
      [{ path: 'orderSync.dimensionRules.0.dimension', message: 'dimension must be one of department, location, project, class' }],
    ],
  ])('when %s then the errors are exactly as expected', (_case, input, expected) => {
    expect(errorsOf(input)).toStrictEqual(expected);
  });

  it.each<{ case: string; connection: unknown; expected: Array<{ path: string; message: string }> }>([
    { case: 'a BigCommerce store', connection: bigCommerce, expected: [] },
    {
      case: 'a Clarity store',
      connection: clarity,
      expected: [
        {
          path: 'orderSync.dimensionRules.0.from',
          message: "order metafields are read from BigCommerce; this tenant's storefront is clarity",
        },
        {
          path: 'rules.0.cases.0.when.0.field',
          message: "order metafields are read from BigCommerce; this tenant's storefront is clarity",
        },
        {
          path: 'rules.1.cases.0.when.0.field',
          message: "product custom fields are read from BigCommerce; this tenant's storefront is clarity",
        },
        {
          path: 'rules.2.cases.0.set.customFieldsFrom.WARRANTY',
          message: "product custom fields are read from BigCommerce; this tenant's storefront is clarity",
        },
        {
          path: 'rules.3.cases.0.when.0.field',
          message: "product brands and categories are read from BigCommerce; this tenant's storefront is clarity",
        },
        {
          path: 'rules.3.cases.0.set.customFieldsFrom.CATEGORIES',
          message: "product brands and categories are read from BigCommerce; this tenant's storefront is clarity",
        },
      ],
    },
  ])(
    'when settings name metafields, product custom fields, brands and categories on $case then the problems are exact',
    ({ connection, expected }) => {
      const input = {
        connection,
        orderSync: {
          triggerStatuses: ['11'],
          dimensionRules: [{ dimension: 'department', from: 'orderMetafield', value: 'erp.costCenter' }],
        },
        rules: [
          { id: 'm', cases: [{ when: [{ field: 'order.metafields.crm.segment', op: 'equals', value: 'b2b' }], set: { class: 'B2B' } }] },
          {
            id: 'p',
            scope: 'line',
            cases: [{ when: [{ field: 'line.productCustomFields.Product Line', op: 'equals', value: 'Apparel' }], set: { class: 'A' } }],
          },
          { id: 'o', cases: [{ set: { customFieldsFrom: { WARRANTY: 'order.productCustomFields.Warranty' } } }] },
          {
            id: 'b',
            cases: [
              {
                when: [{ field: 'order.brands', op: 'equals', value: 'Trailhead' }],
                set: { customFieldsFrom: { CATEGORIES: 'order.categories' } },
              },
            ],
          },
        ],
      };
      expect(errorsOf(input)).toEqual(expected);
    },
  );

  it('reports every broken rule at once, not only the first', () => {
    expect(
      errorsOf(withOrderSync({ guestOrders: { enabled: true }, customerMatching: { matchKey: 'none', createWhenNoMatch: false } })).map(
        (error) => error.path,
      ),
    ).toStrictEqual(['orderSync.guestOrders.customerId', 'orderSync.customerMatching.matchKey']);
  });
});

describe('parseTenantSettings: catalog.items.createInStorefront', () => {
  const withCreate = (createInStorefront: Record<string, unknown>) => ({
    connection: bigCommerce,
    orderSync: { triggerStatuses: ['11'] },
    catalog: { items: { createInStorefront } },
  });

  it('when it is on with a flag field, then the rest takes its defaults', () => {
    expect(settingsOf(withCreate({ enabled: true, flagField: 'WEB_ENABLED' })).catalog.items.createInStorefront).toStrictEqual({
      enabled: true,
      flagField: 'WEB_ENABLED',
      flagValue: 'true',
      visibility: 'hidden',
    });
  });

  it.each([
    [
      'on without a flag field',
      { enabled: true },
      'catalog.items.createInStorefront.flagField',
      'createInStorefront.flagField is required when createInStorefront.enabled is true: name the Intacct item field that flags items for the web',
    ],
    [
      'a flag field in lower case',
      { flagField: 'web_enabled' },
      'catalog.items.createInStorefront.flagField',
      'createInStorefront.flagField must be an Intacct item field name in upper case, e.g. WEB_ENABLED',
    ],
    [
      'an empty flag value',
      { flagValue: ' ' },
      'catalog.items.createInStorefront.flagValue',
      'createInStorefront.flagValue must not be empty',
    ],
    [
      'an unknown visibility',
      { visibility: 'draft' },
      'catalog.items.createInStorefront.visibility',
      'createInStorefront.visibility must be one of hidden, visible',
    ],
    [
      'a category that is not an id',
      { categoryId: 'Socks' },
      'catalog.items.createInStorefront.categoryId',
      'createInStorefront.categoryId must be a BigCommerce category id (digits)',
    ],
  ])('when %s, then it is refused with the reason', (_case, createInStorefront, path, message) => {
    expect(errorsOf(withCreate(createInStorefront))).toStrictEqual([{ path, message }]);
  });
});

describe('parseTenantSettings: field rules', () => {
  it.each([
    [
      'a lower-case currency',
      { orderSync: { triggerStatuses: ['11'], currency: { baseCurrency: 'usd' } } },
      [{ path: 'orderSync.currency.baseCurrency', message: 'baseCurrency must be a 3-letter upper-case ISO 4217 code' }],
    ],
    [
      'a made-up currency',
      { orderSync: { triggerStatuses: ['11'], currency: { orderCurrency: 'XYZ' } } },
      [{ path: 'orderSync.currency.orderCurrency', message: 'orderCurrency is not an ISO 4217 currency code' }],
    ],
    [
      'a two-letter currency',
      { orderSync: { triggerStatuses: ['11'], currency: { baseCurrency: 'EU' } } },
      [{ path: 'orderSync.currency.baseCurrency', message: 'baseCurrency must be a 3-letter upper-case ISO 4217 code' }],
    ],
    [
      'an unknown time zone',
      { timezone: 'Mars/Olympus_Mons' },
      [{ path: 'timezone', message: 'timezone must be an IANA time zone name such as Europe/London' }],
    ],
    [
      'a blank time zone',
      { timezone: ' ' },
      [{ path: 'timezone', message: 'timezone must be an IANA time zone name such as Europe/London' }],
    ],
    [
      'a cron with four fields',
      { inventory: { schedule: '*/15 * * *' } },
      [{ path: 'inventory.schedule', message: 'a cron expression has 5 fields (minute hour day-of-month month day-of-week), got 4' }],
    ],
    [
      'a cron hour out of range',
      { inventory: { schedule: '0 24 * * *' } },
      [{ path: 'inventory.schedule', message: 'cron hour field "24": "24" is not a valid hour (0-23)' }],
    ],
    [
      'a negative safety stock',
      { inventory: { safetyStock: -1 } },
      [{ path: 'inventory.safetyStock', message: 'safetyStock must not be negative' }],
    ],
    [
      'a fractional safety stock',
      { inventory: { safetyStock: 1.5 } },
      [{ path: 'inventory.safetyStock', message: 'safetyStock must be a whole number' }],
    ],
    [
      'a SKU list with no SKUs',
      { inventory: { skus: { mode: 'list', skus: [] } } },
      [{ path: 'inventory.skus.skus', message: 'list at least one SKU' }],
    ],
    [
      'a negative due-date offset',
      { orderSync: { triggerStatuses: ['11'], dueDate: { kind: 'daysAfterOrder', days: -3 } } },
      [{ path: 'orderSync.dueDate.days', message: 'days must not be negative' }],
    ],
    [
      'an unknown due-date rule',
      { orderSync: { triggerStatuses: ['11'], dueDate: { kind: 'endOfMonth' } } },
      [{ path: 'orderSync.dueDate.kind', message: 'dueDate.kind must be paymentTerm or daysAfterOrder' }],
    ],
    [
      'an Intacct item field in lower case',
      { orderSync: { triggerStatuses: ['11'], itemMatching: { intacctField: 'itemid' } } },
      [
        {
          path: 'orderSync.itemMatching.intacctField',
          message: 'intacctField must be ITEMID, UPC or an Intacct custom field name in upper case',
        },
      ],
    ],
    [
      'an unknown item match field',
      { orderSync: { triggerStatuses: ['11'], itemMatching: { storefrontField: 'name' } } },
      [{ path: 'orderSync.itemMatching.storefrontField', message: 'storefrontField must be one of sku, productId, upc' }],
    ],
    [
      'a wait longer than 30 days',
      { orderSync: { triggerStatuses: ['11'], waitForStatusHours: 721 } },
      [{ path: 'orderSync.waitForStatusHours', message: 'waitForStatusHours must be at most 720 (30 days)' }],
    ],
    [
      'a misspelt setting',
      { orderSync: { triggerStatuses: ['11'], guestOrder: { enabled: true } } },
      [{ path: 'orderSync.guestOrder', message: 'guestOrder is not a known setting' }],
    ],
    [
      'a blank trigger status',
      { orderSync: { triggerStatuses: [''] } },
      [{ path: 'orderSync.triggerStatuses.0', message: 'a storefront status must not be empty' }],
    ],
    [
      'an alert email channel without a valid address',
      { alerts: { channels: [{ id: 'ops', kind: 'email', to: ['not-an-address'] }] } },
      [{ path: 'alerts.channels.0.to.0', message: 'to must hold email addresses' }],
    ],
    [
      'two alert channels with one id',
      {
        alerts: {
          channels: [
            { id: 'ops', kind: 'email', to: ['ops@example.com'] },
            { id: 'ops', kind: 'webhook', url: 'https://hooks.example.com/x' },
          ],
        },
      },
      [{ path: 'alerts.channels', message: 'channel ids must be unique' }],
    ],
    [
      'a soft limit on the Intacct budget without a budget',
      { intacctBudget: { deferNonUrgentAtPercent: 90 } },
      [
        {
          path: 'intacctBudget.deferNonUrgentAtPercent',
          message: 'deferNonUrgentAtPercent needs monthlyTransactions: a soft limit is a share of the budget',
        },
      ],
    ],
    [
      'an alert rule nobody raises',
      { alerts: { channels: [{ id: 'ops', kind: 'email', to: ['ops@example.com'], rules: ['everything'] }] } },
      [
        {
          path: 'alerts.channels.0.rules.0',
          message: 'rules must be one of parked, webhooks, schedule_failed, intacct_budget, payout_variance, daily_summary',
        },
      ],
    ],
    [
      'a digest of no minutes',
      { alerts: { parked: { delivery: 'digest', digestMinutes: 0 } } },
      [{ path: 'alerts.parked.digestMinutes', message: 'digestMinutes must be at least 1' }],
    ],
    [
      'an automatic application threshold below 0.5',
      { mappingAssistant: { autoApply: { enabled: true, minConfidence: 0.49 } } },
      [{ path: 'mappingAssistant.autoApply.minConfidence', message: 'minConfidence must be at least 0.5' }],
    ],
    [
      'an automatic application threshold above 1',
      { mappingAssistant: { autoApply: { minConfidence: 1.2 } } },
      [{ path: 'mappingAssistant.autoApply.minConfidence', message: 'minConfidence must be at most 1' }],
    ],
    [
      'automatic application switched on as text',
      { mappingAssistant: { autoApply: { enabled: 'yes' } } },
      [{ path: 'mappingAssistant.autoApply.enabled', message: 'enabled must be true or false' }],
    ],
    [
      'a misspelt mapping assistant setting',
      { mappingAssistant: { autoAply: { enabled: true } } },
      [{ path: 'mappingAssistant.autoAply', message: 'autoAply is not a known setting' }],
    ],
    [
      'a negative wait for postings',
      { close: { awaitPostingsHours: -1 } },
      [{ path: 'close.awaitPostingsHours', message: 'awaitPostingsHours cannot be negative' }],
    ],
    [
      'a wait for postings over two weeks',
      { close: { awaitPostingsHours: 337 } },
      [{ path: 'close.awaitPostingsHours', message: 'awaitPostingsHours is at most 336 (14 days)' }],
    ],
    [
      'a wait for postings as text',
      { close: { awaitPostingsHours: '24' } },
      [{ path: 'close.awaitPostingsHours', message: 'awaitPostingsHours must be a number of hours' }],
    ],
  ])('when the settings have %s then it is refused with its path', (_case, input, expected) => {
    expect(errorsOf({ connection: bigCommerce, orderSync: { triggerStatuses: ['11'] }, ...input })).toStrictEqual(expected);
  });

  it.each([0.5, 0.9, 1])('accepts automatic application from a confidence of %s, the bounds included', (minConfidence) => {
    const parsed = parseTenantSettings({
      connection: bigCommerce,
      orderSync: { triggerStatuses: ['11'] },
      mappingAssistant: { autoApply: { enabled: true, minConfidence } },
    });
    expect(parsed).toMatchObject({ ok: true, settings: { mappingAssistant: { autoApply: { enabled: true, minConfidence } } } });
  });

  it('accepts what a merchant would configure on a busy tenant', () => {
    const settings = settingsOf({
      connection: clarity,
      orderSync: {
        triggerStatuses: ['processing'],
        cancelStatuses: ['cancelled'],
        otherStatusAction: 'ignore',
        transactionDefinition: 'Web Sales Invoice',
        documentNumberRule: { kind: 'storefrontOrderNumber', prefix: 'WEB-' },
        guestOrders: { enabled: true, customerId: 'WEBGUEST' },
        itemMatching: { storefrontField: 'upc', intacctField: 'WEB_UPC' },
        customerMatching: { matchKey: 'phone', createWhenNoMatch: false },
        defaultPaymentTerm: 'Net 30',
        defaultWarehouseId: 'MAIN',
        dueDate: { kind: 'daysAfterOrder', days: 30 },
        adjustments: { shipping: 'allocateToLines', tax: 'intacctCalculates' },
        payments: {
          defaultAccount: { undepositedFunds: true, glAccountNo: '1050' },
          methods: [{ method: 'stripe', account: { bankAccountId: 'STRIPE' } }, { method: 'paypal' }],
        },
        dimensionRules: [
          { dimension: 'department', from: 'storefrontChannel' },
          { dimension: 'class', from: 'constant', value: 'WEB' },
        ],
        currency: { baseCurrency: 'EUR', orderCurrency: 'GBP', exchangeRateType: 'Corporate' },
      },
      inventory: {
        enabled: true,
        schedule: '0 */2 * * MON-FRI',
        warehouseIds: ['MAIN', 'EAST'],
        availability: 'onHand',
        safetyStock: 2,
        skus: { mode: 'list', skus: ['A-1', 'B-2'] },
      },
      returns: { enabled: true, restock: true, restockWarehouseId: 'RETURNS', shippingRefundItemId: 'SHIP-REFUND' },
      timezone: 'America/New_York',
    });
    expect(settings.orderSync.documentNumberRule).toStrictEqual({ kind: 'storefrontOrderNumber', prefix: 'WEB-' });
    expect(settings.orderSync.adjustments).toStrictEqual({
      shipping: 'allocateToLines',
      handling: 'separateLine',
      discount: 'subtotal',
      discountSubtotal: 'Discount',
      giftWrapping: 'separateLine',
      tax: 'intacctCalculates',
    });
    expect(settings.orderSync.payments).toStrictEqual({
      defaultAccount: { undepositedFunds: true, glAccountNo: '1050' },
      methods: [{ method: 'stripe', account: { bankAccountId: 'STRIPE', undepositedFunds: false } }, { method: 'paypal' }],
    });
    expect(settings.returns).toStrictEqual({
      enabled: true,
      creditMemoTransactionDefinition: 'Sales Credit Memo',
      restock: true,
      restockWarehouseId: 'RETURNS',
      shippingRefundItemId: 'SHIP-REFUND',
      stockOffsetTransactionDefinition: 'Adjustment Decrease',
      beforeInvoice: 'reduceOrder',
    });
    expect(settings.timezone).toBe('America/New_York');
  });

  it.each(['UTC', 'Etc/GMT+5', 'Europe/London', 'Asia/Kolkata'])('accepts the time zone %s', (timezone) => {
    expect(errorsOf({ connection: bigCommerce, orderSync: { triggerStatuses: ['11'] }, timezone })).toStrictEqual([]);
  });

  it('exposes the schema so callers can derive input and JSON Schema from the same source', () => {
    expect(tenantSettingsSchema.safeParse({ connection: bigCommerce, orderSync: { triggerStatuses: ['11'] } }).success).toBe(true);
  });
});
