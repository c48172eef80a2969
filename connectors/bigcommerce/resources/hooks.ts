import { v3Single } from '../schemas/common.js';
import { hook, type Hook, type HookInput } from '../schemas/hooks.js';
import type { BigCommerceTransport } from '../transport.js';
import { iterateV3 } from './paging.js';

/** V3 webhooks of this API account; custom `headers` come back on every callback. */
export interface HooksResource {
  createHook(input: HookInput): Promise<Hook>;
  /** Every hook of the account, all pages: a store shared by several receivers can hold more than one page. */
  listHooks(filter?: { scope?: string; isActive?: boolean }): Promise<Hook[]>;
  getHook(hookId: number): Promise<Hook>;
  updateHook(hookId: number, input: Partial<HookInput>): Promise<Hook>;
  deleteHook(hookId: number): Promise<Hook>;
}

export function hooksResource(transport: BigCommerceTransport): HooksResource {
  const single = v3Single(hook);
  return {
    createHook: async (input) => (await transport.sendParsed({ version: 'v3', method: 'POST', path: '/hooks', json: input }, single)).data,
    listHooks: async (filter = {}) => {
      const hooks: Hook[] = [];
      for await (const entry of iterateV3(
        transport,
        { version: 'v3', method: 'GET', path: '/hooks', searchParams: { scope: filter.scope, is_active: filter.isActive } },
        hook,
      ))
        hooks.push(entry);
      return hooks;
    },
    getHook: async (hookId) => (await transport.sendParsed({ version: 'v3', method: 'GET', path: `/hooks/${hookId}` }, single)).data,
    updateHook: async (hookId, input) =>
      (await transport.sendParsed({ version: 'v3', method: 'PUT', path: `/hooks/${hookId}`, json: input }, single)).data,
    deleteHook: async (hookId) => (await transport.sendParsed({ version: 'v3', method: 'DELETE', path: `/hooks/${hookId}` }, single)).data,
  };
}
