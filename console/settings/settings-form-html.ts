import { html, type SafeHtml } from '../templates.js';
import { removeRowKey } from './settings-form-body.js';
import { labelFromKey } from './setting-nodes.js';
import type { SettingsField, SettingsSection } from './settings-fields.js';

/**
 * The HTML of a settings section's fields, through the console's escaping template: every
 * value, label and message is text. Controls post the names ./settings-form-body.ts reads.
 * Browser validation is off on the form (`novalidate`): the schema's messages are the ones shown.
 */

/** An element id from a field name (`orderSync.dimensionRules[0].value` → `s-orderSync-dimensionRules-0--value`). */
export function fieldId(name: string): string {
  return `s-${name.replace(/[^A-Za-z0-9_-]/g, '-')}`;
}

function describedBy(id: string, field: SettingsField): string | undefined {
  const ids = [field.errors.length > 0 && `${id}-error`, field.description !== undefined && `${id}-help`].filter(Boolean);
  return ids.length > 0 ? ids.join(' ') : undefined;
}

function attributes(id: string, field: SettingsField): SafeHtml {
  const described = describedBy(id, field);
  return html`${described && html` aria-describedby="${described}"`}${field.errors.length > 0 && html` aria-invalid="true"`}`;
}

function messages(id: string, field: SettingsField): SafeHtml {
  return html`${field.description !== undefined && html`<p class="help" id="${id}-help">${field.description}</p>`}${
    field.errors.length > 0 && html`<p class="field-error" id="${id}-error">${field.errors.join('; ')}</p>`
  }`;
}

function label(id: string, field: SettingsField, text: string = field.label): SafeHtml {
  return html`<label for="${id}">${text}${field.required && html` <span class="required">(required)</span>`}</label>`;
}

/** The control alone (a table cell holds one), without its label. */
function control(field: SettingsField, id: string): SafeHtml {
  switch (field.kind) {
    case 'text':
      return html`<input
        id="${id}"
        name="${field.name}"
        type="${field.format === 'url' ? 'url' : 'text'}"
        value="${field.value}"
        ${attributes(id, field)}
      />`;
    case 'number':
      return html`<input
        id="${id}"
        name="${field.name}"
        type="text"
        inputmode="numeric"
        value="${field.value}"
        ${attributes(id, field)}
      />`;
    case 'boolean':
      // The hidden false comes first: an unticked box posts nothing, a ticked one posts true after it.
      return html`<input type="hidden" name="${field.name}" value="false" /><input
          id="${id}"
          name="${field.name}"
          type="checkbox"
          value="true"
          ${field.value && html` checked`}${attributes(id, field)}
        />`;
    case 'enum':
      return html`<select id="${id}" name="${field.name}" ${attributes(id, field)}>
        ${field.allowEmpty && html`<option value="">(none)</option>`}
        ${field.options.map((option) => html`<option value="${option}" ${option === field.value && html` selected`}>${option}</option>`)}
      </select>`;
    case 'list':
      return html`<textarea id="${id}" name="${field.name}[]" rows="${Math.max(3, field.value.length + 1)}" ${attributes(id, field)}>
${field.value.join('\n')}</textarea>`;
    case 'json':
      return html`<textarea id="${id}" name="${field.name}" rows="6" ${attributes(id, field)}>${field.value}</textarea>`;
    default:
      return html`${fieldHtml(field)}`;
  }
}

/** One field with its label, help and messages; groups, variants and rows with their parts. */
export function fieldHtml(field: SettingsField): SafeHtml {
  const id = fieldId(field.name);
  switch (field.kind) {
    case 'boolean':
      return html`<div class="field checkbox">${control(field, id)} ${label(id, field)} ${messages(id, field)}</div>`;
    case 'list':
      return html`<div class="field">
        ${label(id, field, `${field.label} (one per line)`)} ${control(field, id)} ${messages(id, field)}
      </div>`;
    case 'group':
      return html`<fieldset class="group" id="${id}">
        <legend>${field.label}${field.optional && html` <span class="muted">(optional: leave empty for none)</span>`}</legend>
        ${messages(id, field)} ${field.fields.map(fieldHtml)}
      </fieldset>`;
    case 'variants':
      return html`<fieldset class="group variants" id="${id}">
        <legend>${field.label}</legend>
        ${messages(id, field)} ${fieldHtml(field.choice)}
        ${field.variants
          .filter((variant) => variant.fields.length > 0)
          .map(
            (variant) =>
              html`<fieldset class="variant">
                <legend>When ${labelFromKey(field.choice.name.split('.').at(-1) ?? '').toLowerCase()} is ${variant.value}</legend>
                ${variant.fields.map(fieldHtml)}
              </fieldset>`,
          )}
      </fieldset>`;
    case 'rows':
      return rowsHtml(field, id);
    default:
      return html`<div class="field">${label(id, field)} ${control(field, id)} ${messages(id, field)}</div>`;
  }
}

function rowsHtml(field: SettingsField & { kind: 'rows' }, id: string): SafeHtml {
  return html`<fieldset class="group rows" id="${id}">
    <legend>${field.label}</legend>
    ${messages(id, field)}
    <table>
      <thead>
        <tr>
          ${field.columns.map((column) => html`<th scope="col">${column.label}</th>`)}
          <th scope="col">Remove</th>
        </tr>
      </thead>
      <tbody>
        ${field.rows.map((row, index) => {
          const rowLabel = row.blank ? 'new row' : `row ${index + 1}`;
          return html`<tr>
            ${row.fields.map((cell) => {
              const cellId = fieldId(cell.name);
              const cellLabel = `${cell.label}, ${rowLabel}`;
              return html`<td>
                ${
                  cell.kind === 'group'
                    ? fieldHtml(cell)
                    : html`${cell.kind === 'boolean' ? '' : html`<label class="visually-hidden" for="${cellId}">${cellLabel}</label>`}${control(
                        cell,
                        cellId,
                      )}${cell.kind === 'boolean' && html`<label for="${cellId}">${cellLabel}</label>`}${messages(cellId, cell)}`
                }
              </td>`;
            })}
            <td>
              ${
                !row.blank &&
                html`<input type="checkbox" id="${fieldId(row.name)}-remove" name="${row.name}.${removeRowKey}" value="true" />
                  <label for="${fieldId(row.name)}-remove">Remove ${rowLabel}</label>`
              }
            </td>
          </tr>`;
        })}
      </tbody>
    </table>
  </fieldset>`;
}

/**
 * A section's form: its fields, the version it was read at (for the optimistic check), and a
 * save button, or everything disabled for a key that may only read.
 */
export function settingsSectionForm(
  section: SettingsSection,
  options: { action: string; version: number; csrf: SafeHtml; editable: boolean },
): SafeHtml {
  const headingId = `section-${section.id}`;
  return html`<section class="card settings-section" aria-labelledby="${headingId}">
    <h2 id="${headingId}">${section.label}</h2>
    ${section.errors.length > 0 && html`<div class="field-error" role="alert">${section.errors.map((message) => html`<p>${message}</p>`)}</div>`}
    <form method="post" action="${options.action}" novalidate>
      ${options.csrf}
      <input type="hidden" name="version" value="${options.version}" />
      <fieldset class="plain" ${!options.editable && html` disabled`}>
        <legend class="visually-hidden">${section.label} settings</legend>
        ${section.fields.map(fieldHtml)}
      </fieldset>
      ${options.editable && html`<button type="submit">Save ${section.label.toLowerCase()}</button>`}
    </form>
  </section>`;
}
