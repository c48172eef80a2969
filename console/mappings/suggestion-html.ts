import { suggestionMappingTable, type RecordSuggestions, type RecordSuggestionTable } from '../../api/admin/record-suggestion-actions.js';
import { mappingTableSchemas, type MappingTableName } from '../../store/schemas/mapping-tables.js';
import { consolePath, html, type SafeHtml } from '../templates.js';

/**
 * The mapping assistant's suggested-rows card, one renderer for every table that takes
 * suggestions (items, customers, payment methods, dimensions, shipping methods), each table
 * described by its ask form. Every value, record field and reason is escaped text.
 */

/** The tables the console asks suggestions for: the items table and the named-value tables. */
export type SuggestionTable = RecordSuggestionTable | 'items';

/** The mapping table each suggestion table writes. */
export const suggestionRowsTable = (table: SuggestionTable): MappingTableName =>
  table === 'items' ? 'items' : suggestionMappingTable[table];

/** A confidence in [0, 1] as people read it: 0.96 → "96%". */
export const confidenceText = (confidence: number): string => `${Math.round(confidence * 100)}%`;

/** One field of a table's ask form; `choices` makes it a select, the first choice meaning "any". */
export interface AskField {
  name: string;
  label: string;
  choices?: ReadonlyArray<{ value: string; label: string }>;
}

/** How a table asks: several values one a line (with shared fields), or one value with its details. */
export interface AskForm {
  /** The storefront values' field and label; `perLine` reads one value a line. */
  value: { label: string; perLine: boolean; help: string };
  fields: readonly AskField[];
  /** Said when an ask found nothing to suggest for. */
  nothingAsked: string;
}

const nothingNamed = 'Nothing was asked about: name a storefront value.';

/** The ask form of each table that takes suggestions. */
export const askForms: Record<SuggestionTable, AskForm> = {
  items: {
    value: {
      label: 'SKUs from the storefront to suggest Intacct items for, one a line',
      perLine: true,
      help: "Left empty: the SKUs that parked orders and still have no row. Intacct's active items are compared by SKU and UPC.",
    },
    fields: [],
    nothingAsked: 'No SKU to suggest for: every SKU that parked an order has a row.',
  },
  customers: {
    value: {
      label: 'Storefront customer id, or the guest email',
      perLine: false,
      help: "Intacct's customers are compared by email, name, company and address; fill in what you know.",
    },
    fields: [
      { name: 'email', label: 'Email' },
      { name: 'name', label: 'Name' },
      { name: 'company', label: 'Company' },
      { name: 'line1', label: 'Address line' },
      { name: 'city', label: 'City' },
      { name: 'postalCode', label: 'Postal code' },
      { name: 'country', label: 'Country' },
    ],
    nothingAsked: nothingNamed,
  },
  paymentMethods: {
    value: {
      label: 'Payment methods from the storefront, one a line',
      perLine: true,
      help: "Compared with Intacct's bank and GL accounts by name.",
    },
    fields: [],
    nothingAsked: nothingNamed,
  },
  dimensions: {
    value: { label: 'Storefront values, one a line', perLine: true, help: "Compared with Intacct's dimension values by id and name." },
    fields: [
      {
        name: 'dimension',
        label: 'Dimension',
        choices: [
          { value: '', label: 'Any dimension' },
          { value: 'department', label: 'Department' },
          { value: 'location', label: 'Location' },
          { value: 'project', label: 'Project' },
          { value: 'class', label: 'Class' },
        ],
      },
    ],
    nothingAsked: nothingNamed,
  },
  shippingMethods: {
    value: {
      label: 'Shipping methods from the storefront, one a line',
      perLine: true,
      help: "Compared with Intacct's shipping methods by name.",
    },
    fields: [],
    nothingAsked: nothingNamed,
  },
};

/** Where a table's suggestion forms post: under the page's table name (dimensionRules for dimensions). */
export const recordSuggestionsPath = (tenantId: string, pageTable: string, ...rest: string[]) =>
  consolePath('tenants', tenantId, 'mappings', pageTable, 'suggestions', ...rest);

/**
 * A candidate row as people read it, "intacctCustomerId: C-100", without its key field: the
 * key is the storefront value the row is suggested for, shown in its own column.
 */
export const candidateText = (table: SuggestionTable, row: Readonly<Record<string, string>>): string =>
  Object.entries(row)
    .filter(([field]) => field !== mappingTableSchemas[suggestionRowsTable(table)].keyField)
    .map(([field, value]) => `${field}: ${value}`)
    .join(', ');

function decisionForm(
  table: SuggestionTable,
  action: string,
  decision: 'accept' | 'reject',
  candidate: { value: string; row: Readonly<Record<string, string>> },
  csrf: SafeHtml,
): SafeHtml {
  const label = decision === 'accept' ? 'Accept' : 'Reject';
  return html`<form method="post" action="${action}/${decision}">
    ${csrf}
    <input type="hidden" name="value" value="${candidate.value}" />
    ${Object.entries(candidate.row).map(([field, value]) => html`<input type="hidden" name="row.${field}" value="${value}" />`)}
    <button type="submit" ${decision === 'reject' && html`class="danger"`}>
      ${label}<span class="visually-hidden"> ${candidateText(table, candidate.row)} for ${candidate.value}</span>
    </button>
  </form>`;
}

function suggestedRows(
  table: SuggestionTable,
  action: string,
  suggestions: RecordSuggestions['suggestions'],
  csrf: SafeHtml,
  mayDecide: boolean,
): SafeHtml {
  if (suggestions.length === 0) return html`<p>${askForms[table].nothingAsked}</p>`;
  return html`<table class="suggested-rows">
    <caption>
      Suggested rows
    </caption>
    <thead>
      <tr>
        <th scope="col">Storefront value</th>
        <th scope="col">Suggested Intacct record</th>
        <th scope="col">Confidence</th>
        <th scope="col">Evidence</th>
        ${mayDecide && html`<th scope="col">Decision</th>`}
      </tr>
    </thead>
    <tbody>
      ${suggestions.map(({ value, candidates }) =>
        candidates.length === 0
          ? html`<tr>
              <td>${value}</td>
              <td colspan="${mayDecide ? '4' : '3'}">No Intacct record resembles this value; add its row by hand.</td>
            </tr>`
          : candidates.map(
              (candidate) =>
                html`<tr>
                  <td>${value}</td>
                  <td>${candidateText(table, candidate.row)}</td>
                  <td class="number">${confidenceText(candidate.confidence)}</td>
                  <td>
                    <ul>
                      ${candidate.reasons.map((reason) => html`<li>${reason}</li>`)}
                    </ul>
                  </td>
                  ${
                    mayDecide &&
                    html`<td class="actions">
                      ${decisionForm(table, action, 'accept', { value, row: candidate.row }, csrf)}
                      ${decisionForm(table, action, 'reject', { value, row: candidate.row }, csrf)}
                    </td>`
                  }
                </tr>`,
            ),
      )}
    </tbody>
  </table>`;
}

function askField(field: AskField, asked: Readonly<Record<string, string>>): SafeHtml {
  const id = `suggest-${field.name}`;
  const current = asked[field.name] ?? '';
  if (field.choices)
    return html`<label for="${id}">${field.label}</label>
      <select id="${id}" name="${field.name}">
        ${field.choices.map((choice) => html`<option value="${choice.value}" ${choice.value === current && html`selected`}>${choice.label}</option>`)}
      </select>`;
  return html`<label for="${id}">${field.label}</label> <input id="${id}" name="${field.name}" value="${current}" />`;
}

/**
 * The mapping assistant's card on a table: the table's ask form, and once asked each candidate
 * with its confidence, evidence and decision buttons. A key that may not ask (a viewer) is told
 * so and given nothing to press; one that may ask but not write the table sees no buttons.
 */
export function suggestionsCard(
  tenantId: string,
  pageTable: string,
  table: SuggestionTable,
  options: {
    csrf: SafeHtml;
    mayAsk: boolean;
    mayDecide: boolean;
    asked: Readonly<Record<string, string>>;
    suggestions?: RecordSuggestions['suggestions'] | undefined;
  },
): SafeHtml {
  const form = askForms[table];
  const action = recordSuggestionsPath(tenantId, pageTable);
  if (!options.mayAsk)
    return html`<section class="card" aria-labelledby="suggestions-heading">
      <h2 id="suggestions-heading">Suggested rows</h2>
      <p class="muted">Asking the mapping assistant for suggested rows, and accepting or rejecting them, needs an operator key.</p>
    </section>`;
  return html`<section class="card" aria-labelledby="suggestions-heading">
    <h2 id="suggestions-heading">Suggested rows</h2>
    <form method="post" action="${action}">
      ${options.csrf}
      <label for="suggest-value">${form.value.label}</label>
      ${
        form.value.perLine
          ? html`<textarea id="suggest-value" name="value" rows="3" aria-describedby="suggest-value-help">
${options.asked.value ?? ''}</textarea>`
          : html`<input id="suggest-value" name="value" value="${options.asked.value ?? ''}" aria-describedby="suggest-value-help" />`
      }
      <p class="help" id="suggest-value-help">${form.value.help}</p>
      ${form.fields.map((field) => askField(field, options.asked))}
      <button type="submit">Suggest rows</button>
    </form>
    ${options.suggestions && suggestedRows(table, action, options.suggestions, options.csrf, options.mayDecide)}
    ${!options.mayDecide && html`<p class="muted">Accepting a suggestion for this table needs an admin key.</p>`}
  </section>`;
}
