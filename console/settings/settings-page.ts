import type { Request, Response, Router } from 'express';
import { changeTenantSettings } from '../../api/admin/settings-changes.js';
import { HttpError } from '../../api/errors.js';
import type { SettingsError } from '../../store/schemas/settings.js';
import { listSettingsHistory, readSettings, type SettingsDocument } from '../../store/settings.js';
import { actingOn } from '../acting.js';
import type { ConsoleDependencies } from '../dependencies.js';
import { csrfField, mayAct, page } from '../layout.js';
import { redirectAfterAction } from '../session.js';
import { tenantPage } from '../tenant-page.js';
import { consolePath, formatTime, html, sendHtml, type SafeHtml } from '../templates.js';
import { isSettingsSection, settingsFromForm, type FormBody } from './settings-form-body.js';
import { settingsSectionForm } from './settings-form-html.js';
import { settingsSection, settingsSectionIds } from './settings-fields.js';

/**
 * The settings page: one form per section, built from the settings schema, saved through the
 * admin API's own use case (so the same validation, version check, audit and schedules), with
 * the schema's messages beside the fields and a stale version explained in words.
 */

/** What the page shows instead of the stored settings: one section as posted, with its problems. */
interface PostedSection {
  sectionId: string;
  input: unknown;
  errors: readonly SettingsError[];
}

function storedSettingsOf(stored: SettingsDocument | null, tenantId: string): SettingsDocument {
  if (stored === null) throw new HttpError(404, 'not_found', `Tenant ${tenantId} has no settings yet.`);
  return stored;
}

/** "Someone changed these settings at 10:42": the version the form was read at is not the current one. */
export function staleVersionText(current: SettingsDocument): string {
  const time = formatTime(current.updatedAt);
  return `Someone (key ${current.updatedBy}) changed these settings at ${time.slice(11)} after you opened them, so your change was not saved. The page now shows their settings (reload to see them again): make your change again.`;
}

async function renderSettings(
  deps: ConsoleDependencies,
  response: Response,
  tenantId: string,
  options: { posted?: PostedSection; notice?: { kind: 'success' | 'error'; text: string }; status?: number } = {},
): Promise<void> {
  const context = await tenantPage(deps, response, tenantId, 'settings');
  const stored = storedSettingsOf(await readSettings(deps.db, tenantId), tenantId);
  const editable = mayAct(context.signedIn, 'admin') && context.tenant.status === 'active';
  const forms: SafeHtml[] = settingsSectionIds().map((sectionId) => {
    const posted = options.posted?.sectionId === sectionId ? options.posted : undefined;
    const section = settingsSection(sectionId, posted ? posted.input : stored.settings, posted?.errors ?? []);
    return settingsSectionForm(section, {
      action: consolePath('tenants', tenantId, 'settings', sectionId),
      version: stored.version,
      csrf: csrfField(context.signedIn),
      editable,
    });
  });
  sendHtml(
    response,
    page(
      context.frame(`${context.tenant.name}: settings`, options.notice),
      html`<h1>Settings</h1>
        <p class="muted">
          Version ${stored.version}, changed ${formatTime(stored.updatedAt)} by key ${stored.updatedBy}.
          <a href="${consolePath('tenants', tenantId, 'settings', 'history')}">Settings history</a>
        </p>
        ${!editable && html`<p class="muted">Only an admin key changes settings; this key can read them.</p>`}
        <nav aria-label="Settings sections">
          <ul class="inline-list">
            ${settingsSectionIds().map((id) => html`<li><a href="#section-${id}">${settingsSection(id, stored.settings).label}</a></li>`)}
          </ul>
        </nav>
        ${forms}`,
    ),
    options.status,
  );
}

async function saveSection(deps: ConsoleDependencies, request: Request, response: Response, tenantId: string, sectionId: string) {
  const acting = await actingOn(deps, response, tenantId, 'admin');
  if (!isSettingsSection(sectionId)) throw new HttpError(404, 'not_found', `There is no settings section ${sectionId}.`);
  const body = request.body as FormBody & Record<string, unknown>;
  const current = storedSettingsOf(await readSettings(deps.db, tenantId), tenantId);
  const version = Number(body.version);
  const parsed = settingsFromForm(sectionId, body, current.settings);
  if (!parsed.ok) {
    const notice = { kind: 'error' as const, text: 'The settings were not saved: correct the fields marked below.' };
    await renderSettings(deps, response, tenantId, { posted: { sectionId, ...parsed }, notice, status: 400 });
    return;
  }
  try {
    const saved = await changeTenantSettings(deps, acting.context, tenantId, {
      mode: 'replace',
      version: Number.isInteger(version) ? version : -1,
      settings: parsed.settings,
    });
    const cleared = saved.credentialsCleared?.join(' and ');
    const clearedText = cleared ? ` The ${cleared} credentials were cleared (new host): enter them again.` : '';
    await redirectAfterAction(deps.db, response, `${consolePath('tenants', tenantId, 'settings')}#section-${sectionId}`, {
      kind: 'success',
      text: `Settings saved as version ${saved.version}.${clearedText}`,
    });
  } catch (error) {
    if (!(error instanceof HttpError)) throw error;
    const posted = { sectionId, input: parsed.settings };
    if (error.code === 'stale_version') {
      // Their settings are shown, not the refused change: saving it again would overwrite theirs unseen.
      const latest = storedSettingsOf(await readSettings(deps.db, tenantId), tenantId);
      await renderSettings(deps, response, tenantId, { notice: { kind: 'error', text: staleVersionText(latest) }, status: 409 });
      return;
    }
    if (error.code === 'validation_failed') {
      const errors = Array.isArray(error.details) ? (error.details as SettingsError[]) : [{ path: '', message: error.message }];
      const notice = { kind: 'error' as const, text: 'The settings were not saved: correct the fields marked below.' };
      await renderSettings(deps, response, tenantId, { posted: { ...posted, errors }, notice, status: 400 });
      return;
    }
    throw error;
  }
}

/** A value of the history; absent is stored as null (settings themselves never hold null). */
function valueText(value: unknown): string {
  return value === undefined || value === null ? '(not set)' : JSON.stringify(value);
}

async function renderHistory(deps: ConsoleDependencies, response: Response, tenantId: string): Promise<void> {
  const context = await tenantPage(deps, response, tenantId, 'settings');
  const changes = await listSettingsHistory(deps.db, tenantId, 100);
  sendHtml(
    response,
    page(
      context.frame(`${context.tenant.name}: settings history`),
      html`<h1>Settings history</h1>
        <p><a href="${consolePath('tenants', tenantId, 'settings')}">Back to the settings</a></p>
        ${changes.length === 0 && html`<p>No change recorded yet.</p>`}
        ${changes.map(
          (change) =>
            html`<section class="card" aria-labelledby="version-${change.version}">
              <h2 id="version-${change.version}">Version ${change.version}</h2>
              <p class="muted">${formatTime(change.changedAt)}, key ${change.changedBy}</p>
              <table>
                <thead>
                  <tr>
                    <th scope="col">Setting</th>
                    <th scope="col">Before</th>
                    <th scope="col">After</th>
                  </tr>
                </thead>
                <tbody>
                  ${change.diff.map(
                    (entry) =>
                      html`<tr>
                        <td><code>${entry.path}</code></td>
                        <td><del>${valueText(entry.before)}</del></td>
                        <td><ins>${valueText(entry.after)}</ins></td>
                      </tr>`,
                  )}
                </tbody>
              </table>
            </section>`,
        )}`,
    ),
  );
}

/** The settings page, its section saves and the history, under /console/tenants/:tenantId/settings. */
export function registerSettingsPages(router: Router, deps: ConsoleDependencies): void {
  router.get('/tenants/:tenantId/settings', (request, response) => renderSettings(deps, response, request.params.tenantId));
  router.get('/tenants/:tenantId/settings/history', (request, response) => renderHistory(deps, response, request.params.tenantId));
  router.post('/tenants/:tenantId/settings/:sectionId', (request, response) =>
    saveSection(deps, request, response, request.params.tenantId, request.params.sectionId),
  );
}
