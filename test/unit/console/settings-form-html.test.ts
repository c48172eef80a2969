import { describe, expect, it } from 'vitest';
import { settingsFromForm } from '../../../console/settings/settings-form-body.js';
import { settingsSectionForm } from '../../../console/settings/settings-form-html.js';
import { settingsSection, settingsSectionIds } from '../../../console/settings/settings-fields.js';
import { trustedHtml } from '../../../console/templates.js';
import { defaultTenantSettings, parseTenantSettings, type TenantSettings } from '../../../store/schemas/settings.js';

const entities: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'", '&#96;': '`' };
const unescape = (text: string) => text.replace(/&(amp|lt|gt|quot|#39|#96);/g, (entity) => entities[entity]!);

function attributesOf(tag: string): Map<string, string> {
  const attributes = new Map<string, string>();
  for (const match of tag.matchAll(/([a-zA-Z-]+)(?:="([^"]*)")?/g)) attributes.set(match[1]!, unescape(match[2] ?? ''));
  return attributes;
}

/**
 * What a browser posts for the form as rendered, untouched: text inputs and hidden fields with
 * their values, ticked checkboxes, each select's selected option (else its first), textareas'
 * text. The markup is the console's own, so a small reader is enough.
 */
function submittedByBrowser(markup: string): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (const control of markup.matchAll(
    /<input\b([^>]*)>|<select\b([^>]*)>([\s\S]*?)<\/select>|<textarea\b([^>]*)>([\s\S]*?)<\/textarea>/g,
  )) {
    if (control[1] !== undefined) {
      const attributes = attributesOf(control[1]);
      const name = attributes.get('name');
      if (name === undefined || (attributes.get('type') === 'checkbox' && !attributes.has('checked'))) continue;
      pairs.push([name, attributes.get('value') ?? '']);
    } else if (control[2] !== undefined) {
      const options = [...control[3]!.matchAll(/<option\b([^>]*)>/g)].map((option) => attributesOf(option[1]!));
      const chosen = options.find((option) => option.has('selected')) ?? options[0];
      pairs.push([attributesOf(control[2]).get('name')!, chosen?.get('value') ?? '']);
    } else {
      pairs.push([attributesOf(control[4]!).get('name')!, unescape(control[5]!)]);
    }
  }
  return pairs;
}

function settings(input: unknown): TenantSettings {
  const parsed = parseTenantSettings(input);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.settings;
}

const hostile = `<script>alert("x")</script> & 'quotes'`;
const withMarkup = settings({
  connection: { storefront: { kind: 'bigcommerce', storeHash: 'demostore' }, intacct: { companyId: 'DEMO-CO', entityId: hostile } },
  orderSync: {
    triggerStatuses: ['11', `<b>9</b>`],
    transactionDefinition: hostile,
    payments: { methods: [{ method: hostile, account: { glAccountNo: '1200' } }] },
    dimensionRules: [{ dimension: 'project', from: 'orderAttribute', value: `"><img src=x>` }],
    dueDate: { kind: 'daysAfterOrder', days: 30 },
  },
  inventory: { skus: { mode: 'list', skus: ['A&B', '<C>'] } },
});
const defaults = defaultTenantSettings({
  storefront: { kind: 'clarity', baseUrl: 'https://shop.example.com/api' },
  intacct: { companyId: 'X' },
});

function render(sectionId: string, value: TenantSettings): string {
  return settingsSectionForm(settingsSection(sectionId, value), {
    action: '/console/tenants/t/settings',
    version: 3,
    csrf: trustedHtml('<input type="hidden" name="_csrf" value="token" />'),
    editable: true,
  }).markup;
}

describe('settings form HTML', () => {
  it.each([
    ['settings holding markup and quotes', withMarkup],
    ['the defaults of a Clarity tenant', defaults],
  ])('when %s are rendered and posted back untouched then every section gives the same settings', (_, current) => {
    for (const sectionId of settingsSectionIds()) {
      const posted = submittedByBrowser(render(sectionId, current));
      expect(settingsFromForm(sectionId, posted, current), sectionId).toEqual({ ok: true, settings: current });
    }
  });

  it('when values hold markup then the HTML holds them escaped, never as tags', () => {
    const markup = settingsSectionIds()
      .map((id) => render(id, withMarkup))
      .join('');
    expect(markup).not.toContain('<script>');
    expect(markup).not.toContain('<img');
    expect(markup).not.toContain('<b>9');
    expect(markup).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quotes&#39;');
  });

  it('when a field has a message then its control points at it and is marked invalid', () => {
    const section = settingsSection('orderSync', withMarkup, [{ path: 'orderSync.dimensionRules.0.value', message: 'value <is> wrong' }]);
    const markup = settingsSectionForm(section, { action: '/a', version: 1, csrf: trustedHtml(''), editable: true }).markup;
    const input = /<input\b[^>]*id="s-orderSync-dimensionRules-0--value"[^>]*>/.exec(markup)?.[0] ?? '';
    expect(Object.fromEntries(attributesOf(input))).toMatchObject({
      name: 'orderSync.dimensionRules[0].value',
      value: '"><img src=x>',
      'aria-describedby': 's-orderSync-dimensionRules-0--value-error',
      'aria-invalid': 'true',
    });
    expect(markup).toContain('<p class="field-error" id="s-orderSync-dimensionRules-0--value-error">value &lt;is&gt; wrong</p>');
  });

  it('when the key may only read then the fields are disabled and there is no save button', () => {
    const markup = settingsSectionForm(settingsSection('general', defaults), {
      action: '/a',
      version: 1,
      csrf: trustedHtml(''),
      editable: false,
    }).markup;
    expect(markup.replace(/\s+/g, ' ')).toContain('<fieldset class="plain" disabled>');
    expect(markup).not.toContain('<button');
  });
});
