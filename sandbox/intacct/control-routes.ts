import express, { type Router } from 'express';
import { z } from 'zod';
import { faultConfigurationSchema } from './faults.js';
import { toUsTimestamp } from './handlers/context.js';
import type { GatewayState } from './gateway.js';
import { seedCompany } from './seed.js';

const resetSchema = z.object({
  extraItems: z.number().int().nonnegative().max(500_000).optional(),
  closedBefore: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .optional(),
  allowNegativeInventory: z.boolean().optional(),
});

const recordChangeSchema = z.object({ fields: z.record(z.string(), z.string()) });

/**
 * Development and test controls, mounted only when the sandbox is started with
 * `controlEnabled`: reset and re-seed the company, inject faults, end sessions, read the
 * request log, read, change and delete records.
 */
export function controlRoutes(state: GatewayState): Router {
  const router = express.Router();
  router.use(express.json({ limit: '1mb' }));

  router.post('/reset', (req, res) => {
    const parsed = resetSchema.safeParse(req.body ?? {});
    if (!parsed.success) {
      res.status(400).json({ error: { code: 'invalid_seed', message: parsed.error.message } });
      return;
    }
    state.seed = { ...state.seed, ...parsed.data };
    state.store = seedCompany(state.seed);
    state.sessions.expireAll();
    state.cursors.expireAll();
    state.faults.clear();
    state.log.clear();
    res.json({ companyId: state.store.companyId, items: state.store.count('ITEM') });
  });

  router.put('/faults', (req, res) => {
    const parsed = faultConfigurationSchema.safeParse(req.body ?? {});
    if (!parsed.success) {
      res.status(400).json({ error: { code: 'invalid_faults', message: parsed.error.message } });
      return;
    }
    state.faults.configure(parsed.data);
    res.json({ rules: parsed.data.rules.length });
  });

  router.get('/faults', (_req, res) => {
    res.json({ rules: state.faults.active(), tally: state.faults.tally() });
  });

  router.delete('/faults', (_req, res) => {
    state.faults.clear();
    res.status(204).end();
  });

  // The limits' own count, per company: the most requests in flight at once and the 429s each limit answered.
  router.get('/limits', (_req, res) => {
    res.json({
      concurrencyLimit: state.options.concurrencyLimit,
      ...(state.options.rateLimit && { rateLimit: state.options.rateLimit }),
      byCompany: Object.fromEntries(state.limitTally),
    });
  });

  router.delete('/limits', (_req, res) => {
    state.limitTally.clear();
    res.status(204).end();
  });

  router.post('/sessions/expire', (_req, res) => {
    res.json({ expired: state.sessions.expireAll() });
  });

  router.post('/result-ids/expire', (_req, res) => {
    state.cursors.expireAll();
    res.status(204).end();
  });

  router.get('/requests', (_req, res) => {
    res.json({ requests: state.log.list() });
  });

  router.delete('/requests', (_req, res) => {
    state.log.clear();
    res.status(204).end();
  });

  router.get('/records/:object', (req, res) => {
    const object = req.params.object.toUpperCase();
    if (!state.store.hasObject(object)) {
      res.status(404).json({ error: { code: 'unknown_object', message: `No object ${object}` } });
      return;
    }
    res.json({ records: state.store.all(object) });
  });

  // A person's new record in Intacct's own UI (a price list entry, say), stamped WHENMODIFIED as
  // Intacct stamps it. A price list entry is keyed `PRICELISTID@ITEMID`.
  router.post('/records/:object', (req, res) => {
    const parsed = recordChangeSchema.safeParse(req.body ?? {});
    const object = req.params.object.toUpperCase();
    if (!parsed.success || !state.store.hasObject(object)) {
      res.status(400).json({ error: { code: 'invalid_record', message: parsed.success ? `No object ${object}` : parsed.error.message } });
      return;
    }
    const fields: Record<string, string> = { WHENMODIFIED: toUsTimestamp(new Date(state.options.now())), ...parsed.data.fields };
    if (object === 'SOPRICELISTENTRY') fields._KEY = `${fields.PRICELISTID ?? ''}@${fields.ITEMID ?? ''}`;
    const recordNo = state.store.insert(object, fields);
    state.store.commit();
    res.status(201).json({ record: state.store.get(object, recordNo) });
  });

  /** The record of `object` named `id` by its ID field, or the 404 already answered. */
  const recordNamed = (object: string, id: string, res: express.Response): number | undefined => {
    const row = state.store.hasObject(object) ? state.store.getById(object, id) : undefined;
    if (row === undefined) res.status(404).json({ error: { code: 'unknown_record', message: `No ${object} ${id}` } });
    return row === undefined ? undefined : Number(row.RECORDNO);
  };

  // A person's change in Intacct's own UI (a customer made inactive, or deleted whatever refers
  // to it): what the product must cope with, outside the gateway's rules.
  router.patch('/records/:object/:id', (req, res) => {
    const parsed = recordChangeSchema.safeParse(req.body ?? {});
    if (!parsed.success) {
      res.status(400).json({ error: { code: 'invalid_change', message: parsed.error.message } });
      return;
    }
    const object = req.params.object.toUpperCase();
    const recordNo = recordNamed(object, req.params.id, res);
    if (recordNo === undefined) return;
    // Intacct stamps every change with WHENMODIFIED, a person's in its UI too.
    const stamped = state.store.get(object, recordNo)?.WHENMODIFIED !== undefined && parsed.data.fields.WHENMODIFIED === undefined;
    const fields: Record<string, string> = { ...parsed.data.fields };
    if (stamped) fields.WHENMODIFIED = toUsTimestamp(new Date(state.options.now()));
    state.store.update(object, recordNo, fields);
    state.store.commit();
    res.json({ record: state.store.get(object, recordNo) });
  });

  router.delete('/records/:object/:id', (req, res) => {
    const object = req.params.object.toUpperCase();
    const recordNo = recordNamed(object, req.params.id, res);
    if (recordNo === undefined) return;
    state.store.remove(object, recordNo);
    state.store.commit();
    res.status(204).end();
  });

  return router;
}
