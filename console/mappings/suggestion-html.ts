import type { ItemSuggestions } from '../../api/admin/item-suggestion-actions.js';
import { consolePath, html, type SafeHtml } from '../templates.js';

/** The markup of the items table's suggested rows; every SKU, item id and reason is escaped text. */

/** A confidence in [0, 1] as people read it: 0.96 → "96%". */
export const confidenceText = (confidence: number): string => `${Math.round(confidence * 100)}%`;

/** Where the items table's suggestion forms post. */
export const itemSuggestionsPath = (tenantId: string, ...rest: string[]) =>
  consolePath('tenants', tenantId, 'mappings', 'items', 'suggestions', ...rest);

function decisionForm(
  tenantId: string,
  decision: 'accept' | 'reject',
  pair: { sku: string; intacctItemId: string },
  csrf: SafeHtml,
): SafeHtml {
  const label = decision === 'accept' ? 'Accept' : 'Reject';
  return html`<form method="post" action="${itemSuggestionsPath(tenantId, decision)}">
    ${csrf}
    <input type="hidden" name="sku" value="${pair.sku}" />
    <input type="hidden" name="intacctItemId" value="${pair.intacctItemId}" />
    <button type="submit" ${decision === 'reject' && html`class="danger"`}>
      ${label}<span class="visually-hidden"> ${pair.intacctItemId} for ${pair.sku}</span>
    </button>
  </form>`;
}

function suggestedRows(tenantId: string, suggestions: ItemSuggestions['suggestions'], csrf: SafeHtml): SafeHtml {
  if (suggestions.length === 0) return html`<p>No SKU to suggest for: every SKU that parked an order has a row.</p>`;
  return html`<table class="suggested-rows">
    <caption>
      Suggested rows
    </caption>
    <thead>
      <tr>
        <th scope="col">Storefront SKU</th>
        <th scope="col">Suggested Intacct item</th>
        <th scope="col">Confidence</th>
        <th scope="col">Evidence</th>
        <th scope="col">Decision</th>
      </tr>
    </thead>
    <tbody>
      ${suggestions.map(({ sku, candidates }) =>
        candidates.length === 0
          ? html`<tr>
              <td>${sku}</td>
              <td colspan="4">No Intacct item resembles this SKU; add its row by hand.</td>
            </tr>`
          : candidates.map(
              (candidate) =>
                html`<tr>
                  <td>${sku}</td>
                  <td>${candidate.intacctItemId}</td>
                  <td class="number">${confidenceText(candidate.confidence)}</td>
                  <td>
                    <ul>
                      ${candidate.reasons.map((reason) => html`<li>${reason}</li>`)}
                    </ul>
                  </td>
                  <td class="actions">
                    ${decisionForm(tenantId, 'accept', { sku, intacctItemId: candidate.intacctItemId }, csrf)}
                    ${decisionForm(tenantId, 'reject', { sku, intacctItemId: candidate.intacctItemId }, csrf)}
                  </td>
                </tr>`,
            ),
      )}
    </tbody>
  </table>`;
}

/**
 * The mapping assistant's card on the items table: the ask form (SKUs named, or none for the SKUs
 * that parked orders), and once asked each candidate with its confidence, evidence and decision
 * buttons. A key that may not ask (a viewer) is told so and given nothing to press.
 */
export function itemSuggestionsCard(
  tenantId: string,
  options: { csrf: SafeHtml; mayDecide: boolean; skus: string; suggestions?: ItemSuggestions['suggestions'] | undefined },
): SafeHtml {
  return html`<section class="card" aria-labelledby="suggestions-heading">
    <h2 id="suggestions-heading">Suggested rows</h2>
    ${
      options.mayDecide
        ? html`<form method="post" action="${itemSuggestionsPath(tenantId)}">
              ${options.csrf}
              <label for="suggest-skus">SKUs from the storefront to suggest Intacct items for, one a line</label>
              <textarea id="suggest-skus" name="skus" rows="3" aria-describedby="suggest-skus-help">${options.skus}</textarea>
              <p class="help" id="suggest-skus-help">
                Left empty: the SKUs that parked orders and still have no row. Intacct's active items are compared by SKU and UPC.
              </p>
              <button type="submit">Suggest rows</button>
            </form>
            ${options.suggestions && suggestedRows(tenantId, options.suggestions, options.csrf)}`
        : html`<p class="muted">
            Asking the mapping assistant for suggested rows, and accepting or rejecting them, needs an operator key.
          </p>`
    }
  </section>`;
}
