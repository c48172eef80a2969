import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { labelFromKey } from '../../../console/settings/setting-nodes.js';
import { settingsFromForm, type FormBody } from '../../../console/settings/settings-form-body.js';
import { settingsSection, settingsSectionIds, type SettingsField } from '../../../console/settings/settings-fields.js';
import { defaultTenantSettings, parseTenantSettings, tenantSettingsSchema, type TenantSettings } from '../../../store/schemas/settings.js';

/** What a browser posts for an untouched form of these fields (the HTML writes the same controls). */
function submitted(fields: readonly SettingsField[]): Array<[string, string]> {
  return fields.flatMap((field): Array<[string, string]> => {
    switch (field.kind) {
      case 'text':
      case 'number':
      case 'enum':
      case 'json':
        return [[field.name, field.value]];
      case 'boolean':
        return field.value
          ? [
              [field.name, 'false'],
              [field.name, 'true'],
            ]
          : [[field.name, 'false']];
      case 'list':
        return [[`${field.name}[]`, field.value.join('\n')]];
      case 'group':
        return submitted(field.fields);
      case 'variants':
        return [...submitted([field.choice]), ...field.variants.flatMap((variant) => submitted(variant.fields))];
      case 'rows':
        return field.rows.flatMap((row) => submitted(row.fields));
    }
  });
}

function leafPaths(fields: readonly SettingsField[]): string[] {
  return fields.flatMap((field): string[] => {
    switch (field.kind) {
      case 'group':
        return leafPaths(field.fields);
      case 'variants':
        return [field.choice.path, ...field.variants.flatMap((variant) => leafPaths(variant.fields))];
      case 'rows':
        return field.rows.flatMap((row) => leafPaths(row.fields));
      default:
        return [field.path];
    }
  });
}

/** Every setting's path as the JSON Schema of the settings names it: independent of the form builder. */
function schemaLeafPaths(schema: Record<string, unknown>, path: string[] = []): string[] {
  const properties = schema.properties as Record<string, Record<string, unknown>> | undefined;
  if (properties) return Object.entries(properties).flatMap(([key, child]) => schemaLeafPaths(child, [...path, key]));
  if (Array.isArray(schema.oneOf))
    return (schema.oneOf as Array<Record<string, unknown>>).flatMap((option) => schemaLeafPaths(option, path));
  const items = schema.items as Record<string, unknown> | undefined;
  if (schema.type === 'array' && items?.type === 'object') return schemaLeafPaths(items, [...path, '[]']);
  return [path.join('.')];
}

function settings(input: unknown): TenantSettings {
  const parsed = parseTenantSettings(input);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.settings;
}

const bigCommerceDefaults = defaultTenantSettings({
  storefront: { kind: 'bigcommerce', storeHash: 'demostore' },
  intacct: { companyId: 'DEMO-CO' },
});

const everythingSet = settings({
  connection: {
    storefront: { kind: 'clarity', baseUrl: 'https://shop.example.com/api/v1' },
    intacct: { companyId: 'ACME', entityId: 'US', endpointUrl: 'http://localhost:4001/ia/xml/xmlgw.phtml' },
  },
  orderSync: {
    triggerStatuses: ['processing', 'fulfilled'],
    cancelStatuses: ['cancelled', 'voided'],
    otherStatusAction: 'ignore',
    waitForStatusHours: 12,
    transactionDefinition: 'Sales Invoice <EU>',
    documentNumberRule: { kind: 'storefrontOrderNumber', prefix: 'WEB-' },
    guestOrders: { enabled: true, customerId: 'GUEST' },
    itemMatching: { storefrontField: 'upc', intacctField: 'UPC' },
    customerMatching: { matchKey: 'customerId', createWhenNoMatch: false },
    defaultPaymentTerm: 'Net 30',
    defaultWarehouseId: 'WH-1',
    dueDate: { kind: 'daysAfterOrder', days: 14 },
    adjustments: { shipping: 'allocateToLines', discount: 'separateLine', discountSubtotal: 'Promo', tax: 'perLine' },
    payments: {
      defaultAccount: { glAccountNo: '1200', undepositedFunds: true },
      methods: [{ method: 'Credit Card', account: { bankAccountId: 'BOA' } }, { method: 'PayPal' }],
    },
    dimensionRules: [
      { dimension: 'department', from: 'constant', value: 'SALES' },
      { dimension: 'class', from: 'customerGroup' },
    ],
    currency: { baseCurrency: 'EUR', orderCurrency: 'GBP', exchangeRateType: 'Spot' },
    fulfilment: { convertToInvoice: true, invoiceTransactionDefinition: 'Invoice', pollIntacctMinutes: 30, watchDays: 10 },
    onPermanentFailure: 'unwind',
    sweep: { enabled: false, everyMinutes: 30, lookbackMinutes: 0 },
  },
  inventory: {
    enabled: true,
    schedule: '0 * * * *',
    warehouseIds: ['WH-1', 'WH-2'],
    availability: 'onHand',
    safetyStock: 3,
    skus: { mode: 'list', skus: ['MUG-11', 'CAP "RED"'] },
  },
  returns: {
    enabled: true,
    creditMemoTransactionDefinition: 'Credit',
    restock: true,
    restockWarehouseId: 'WH-R',
    shippingRefundItemId: 'SHIP',
    stockOffsetTransactionDefinition: 'Decrease',
    beforeInvoice: 'park',
  },
  timezone: 'Europe/London',
});

/** Posts one section's untouched form with some fields changed (name → values; [] removes the field). */
function post(current: TenantSettings, sectionId: string, changes: Record<string, string[]>): FormBody {
  const pairs = submitted(settingsSection(sectionId, current).fields).filter(([name]) => !(name in changes));
  return [...pairs, ...Object.entries(changes).flatMap(([name, values]) => values.map((value): [string, string] => [name, value]))];
}

describe('settings form from the settings schema', () => {
  it('when the sections are listed then every top-level setting is in one', () => {
    expect(settingsSectionIds()).toEqual([
      'general',
      'connection',
      'orderSync',
      'inventory',
      'catalog',
      'returns',
      'intacctBudget',
      'alerts',
      'privacy',
      'anomalyChecks',
      'mappingAssistant',
      'close',
    ]);
  });

  it('when an operator sets an anomaly check to hold in the form then the settings hold it, the other checks as they were', () => {
    const result = settingsFromForm(
      'anomalyChecks',
      post(everythingSet, 'anomalyChecks', { 'anomalyChecks.policies.totalOutlier': ['hold'], 'anomalyChecks.minimumHistory': ['50'] }),
      everythingSet,
    );
    expect(result).toMatchObject({
      ok: true,
      settings: { anomalyChecks: { minimumHistory: 50, policies: { ...everythingSet.anomalyChecks.policies, totalOutlier: 'hold' } } },
    });
  });

  it('when fields are built then every setting in the schema has exactly one field', () => {
    const fromSchema = schemaLeafPaths(z.toJSONSchema(tenantSettingsSchema, { io: 'input', unrepresentable: 'any' }));
    const fromForm = settingsSectionIds().flatMap((id) => leafPaths(settingsSection(id, everythingSet).fields));
    const generic = fromForm.map((path) => path.replace(/\.\d+(?=\.|$)/g, '.[]'));
    expect(new Set(generic)).toEqual(new Set(fromSchema));
    // Each rows field has its rows plus one blank row; apart from those, no path is repeated.
    const rows = fromForm.filter((path) => /\.\d+\./.test(path));
    expect(fromForm.length - rows.length).toBe(new Set(fromForm.filter((path) => !rows.includes(path))).size);
  });

  it.each([
    ['apiBaseUrl', 'API base URL'],
    ['glAccountNo', 'GL account no'],
    ['warehouseIds', 'Warehouse IDs'],
    ['triggerStatuses', 'Trigger statuses'],
    ['timezone', 'Timezone'],
  ])('when the key is %s then the label is "%s"', (key, label) => {
    expect(labelFromKey(key)).toBe(label);
  });

  it('when fields are built then their kinds, requirement and values come from the schema and the settings', () => {
    const connection = settingsSection('connection', bigCommerceDefaults).fields;
    const storefront = connection.find((field) => field.path === 'connection.storefront');
    expect(storefront).toMatchObject({ kind: 'variants', choice: { name: 'connection.storefront.kind', value: 'bigcommerce' } });
    const orderSync = settingsSection('orderSync', everythingSet).fields;
    const byPath = new Map(orderSync.map((field) => [field.path, field]));
    expect(byPath.get('orderSync.triggerStatuses')).toMatchObject({
      kind: 'list',
      name: 'orderSync.triggerStatuses',
      value: ['processing', 'fulfilled'],
    });
    expect(byPath.get('orderSync.waitForStatusHours')).toMatchObject({ kind: 'number', integer: true, value: '12', required: false });
    expect(byPath.get('orderSync.onPermanentFailure')).toMatchObject({ kind: 'enum', options: ['park', 'unwind'], allowEmpty: false });
    const rules = byPath.get('orderSync.dimensionRules');
    expect(rules).toMatchObject({ kind: 'rows', columns: [{ key: 'dimension' }, { key: 'from' }, { key: 'value' }] });
    if (rules?.kind !== 'rows') throw new Error('rows expected');
    expect(rules.rows.map((row) => [row.name, row.blank])).toEqual([
      ['orderSync.dimensionRules[0]', false],
      ['orderSync.dimensionRules[1]', false],
      ['orderSync.dimensionRules[2]', true],
    ]);
    expect(rules.rows[0]!.fields[2]).toMatchObject({ name: 'orderSync.dimensionRules[0].value', value: 'SALES' });
    const intacct = connection.find((field) => field.path === 'connection.intacct');
    expect(intacct?.kind === 'group' && intacct.fields[0]).toMatchObject({ name: 'connection.intacct.companyId', required: true });
  });

  it.each([
    ['the defaults of a new BigCommerce tenant', bigCommerceDefaults],
    ['settings with every optional setting given', everythingSet],
  ])('when %s go through each section form unchanged then they come back identical', (_, current) => {
    for (const sectionId of settingsSectionIds()) {
      const result = settingsFromForm(sectionId, submitted(settingsSection(sectionId, current).fields), current);
      expect(result, sectionId).toEqual({ ok: true, settings: current });
    }
  });

  it('when a value is changed, a row removed and a row added then the settings say so', () => {
    const result = settingsFromForm(
      'orderSync',
      post(everythingSet, 'orderSync', {
        'orderSync.waitForStatusHours': ['48'],
        'orderSync.cancelStatuses[]': ['cancelled\r\n\r\nrefunded  \n'],
        'orderSync.dimensionRules[0].$remove': ['true'],
        'orderSync.dimensionRules[2].dimension': ['project'],
        'orderSync.dimensionRules[2].from': ['orderAttribute'],
        'orderSync.dimensionRules[2].value': ['channel'],
        'orderSync.guestOrders.enabled': ['false'],
      }),
      everythingSet,
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.settings.orderSync.waitForStatusHours).toBe(48);
    expect(result.settings.orderSync.cancelStatuses).toEqual(['cancelled', 'refunded']);
    expect(result.settings.orderSync.guestOrders.enabled).toBe(false);
    expect(result.settings.orderSync.dimensionRules).toEqual([
      { dimension: 'class', from: 'customerGroup' },
      { dimension: 'project', from: 'orderAttribute', value: 'channel' },
    ]);
    expect(result.settings.inventory).toEqual(everythingSet.inventory);
  });

  it('when an optional group is emptied then it is left out', () => {
    const result = settingsFromForm(
      'orderSync',
      post(everythingSet, 'orderSync', {
        'orderSync.payments.defaultAccount.glAccountNo': [''],
        'orderSync.payments.defaultAccount.undepositedFunds': ['false'],
        'orderSync.payments.methods[1].$remove': ['true'],
      }),
      everythingSet,
    );
    expect(result).toMatchObject({ ok: true, settings: { orderSync: { payments: { methods: [{ method: 'Credit Card' }] } } } });
    expect(result.ok && result.settings.orderSync.payments.defaultAccount).toBeUndefined();
  });

  it.each<[string, string, Record<string, string[]>, string, string]>([
    [
      'a word in a number field',
      'orderSync',
      { 'orderSync.waitForStatusHours': ['soon'] },
      'orderSync.waitForStatusHours',
      'must be a whole number',
    ],
    [
      'an empty required field',
      'connection',
      { 'connection.intacct.companyId': [' '] },
      'connection.intacct.companyId',
      'companyId is required',
    ],
    [
      'guests on without their customer',
      'orderSync',
      { 'orderSync.guestOrders.customerId': [''] },
      'orderSync.guestOrders.customerId',
      'customer used for guests is required',
    ],
    [
      'a row missing a value its rule needs',
      'orderSync',
      { 'orderSync.dimensionRules[0].value': [''] },
      'orderSync.dimensionRules.0.value',
      'constant rules need value',
    ],
    [
      'a status both triggering and cancelling',
      'orderSync',
      { 'orderSync.cancelStatuses[]': ['voided\nfulfilled'] },
      'orderSync.cancelStatuses',
      'cannot both trigger sync and cancel',
    ],
    [
      'no triggering status',
      'orderSync',
      { 'orderSync.triggerStatuses[]': ['\n'] },
      'orderSync.triggerStatuses',
      'list at least one storefront status',
    ],
    [
      'a variant missing its setting',
      'orderSync',
      { 'orderSync.dueDate.days': [''] },
      'orderSync.dueDate.days',
      'days must be a whole number',
    ],
    [
      'an account that is two accounts',
      'orderSync',
      { 'orderSync.payments.defaultAccount.bankAccountId': ['BOA'] },
      'orderSync.payments.defaultAccount.bankAccountId',
      'not both',
    ],
    ['a bad cron schedule', 'inventory', { 'inventory.schedule': ['every hour'] }, 'inventory.schedule', 'cron'],
    ['an unknown time zone', 'general', { timezone: ['Mars/Olympus'] }, 'timezone', 'IANA time zone'],
  ])('when the form has %s then the message is on that field', (_, sectionId, changes, path, message) => {
    const result = settingsFromForm(sectionId, post(everythingSet, sectionId, changes), everythingSet);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const section = settingsSection(sectionId, result.input, result.errors);
    const field = findField(section.fields, path);
    expect(field?.errors.join(' ')).toContain(message);
    expect(section.errors).toEqual([]);
    // The form comes back with what was posted, not the stored value.
    const [name, [posted = '']] = Object.entries(changes)[0]!;
    if (field?.kind === 'text' || field?.kind === 'number') {
      expect(field.name).toBe(name);
      expect(field.value).toBe(posted.trim());
    }
  });
});

function findField(fields: readonly SettingsField[], path: string): SettingsField | undefined {
  for (const field of fields) {
    if (field.path === path) return field;
    const children =
      field.kind === 'group'
        ? field.fields
        : field.kind === 'variants'
          ? field.variants.flatMap((variant) => variant.fields)
          : field.kind === 'rows'
            ? field.rows.flatMap((row) => row.fields)
            : [];
    const found = findField(children, path);
    if (found) return found;
  }
  return undefined;
}
