import { v3Single } from '../schemas/common.js';
import { hook, type Hook, type HookInput } from '../schemas/hooks.js';
import type { BigCommerceTransport } from '../transport.js';
import { readV3Page } from './paging.js';

/** V3 webhooks of this API account; custom `headers` come back on every callback. */
export interface HooksResource {
  createHook(input: HookInput): Promise<Hook>;
  listHooks(filter?: { scope?: string; isActive?: boolean }): Promise<Hook[]>;
  getHook(hookId: number): Promise<Hook>;
  updateHook(hookId: number, input: Partial<HookInput>): Promise<Hook>;
  deleteHook(hookId: number): Promise<Hook>;
}

export function hooksResource(transport: BigCommerceTransport): HooksResource {
  const single = v3Single(hook);
  return {
    createHook: async (input) => (await transport.sendParsed({ version: 'v3', method: 'POST', path: '/hooks', json: input }, single)).data,
    listHooks: async (filter = {}) =>
      (await readV3Page(transport, { version: 'v3', method: 'GET', path: '/hooks', searchParams: { scope: filter.scope, is_active: filter.isActive, limit: 250 } }, hook)).data,
    getHook: async (hookId) => (await transport.sendParsed({ version: 'v3', method: 'GET', path: `/hooks/${hookId}` }, single)).data,
    updateHook: async (hookId, input) => (await transport.sendParsed({ version: 'v3', method: 'PUT', path: `/hooks/${hookId}`, json: input }, single)).data,
    deleteHook: async (hookId) => (await transport.sendParsed({ version: 'v3', method: 'DELETE', path: `/hooks/${hookId}` }, single)).data,
  };
}
