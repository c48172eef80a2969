// Tenant settings, `inventory`: the scheduled push of Intacct stock to the storefront.
// Part of the schema in ./settings.ts, which is the module to import settings from.
import { z } from 'zod';
import { checkCronExpression } from './cron.js';
import { flag, identifier, oneOf } from './fields.js';

export const inventorySchema = z.strictObject({
  /** Off by default: pushing stock levels overwrites the storefront's, so a merchant turns it on deliberately. */
  enabled: flag('enabled').default(false),
  schedule: z
    .string({ error: 'schedule must be text' })
    .superRefine((expression, context) => {
      const check = checkCronExpression(expression);
      if (!check.ok) context.addIssue({ code: 'custom', message: check.message });
    })
    .default('*/15 * * * *'),
  /** Intacct warehouses whose stock counts; empty means all of them. */
  warehouseIds: z.array(identifier('a warehouse id')).default(() => []),
  /** `onHand`: quantity on hand. `onHandMinusCommitted`: what is not already promised to open orders. */
  availability: oneOf('availability', ['onHand', 'onHandMinusCommitted']).default('onHandMinusCommitted'),
  /** Held back from every SKU's storefront quantity, so the store sells out before the shelf does. */
  safetyStock: z.int({ error: 'safetyStock must be a whole number' }).min(0, 'safetyStock must not be negative').default(0),
  skus: z
    .discriminatedUnion(
      'mode',
      [
        z.strictObject({ mode: z.literal('all') }),
        z.strictObject({ mode: z.literal('list'), skus: z.array(identifier('a SKU')).min(1, 'list at least one SKU') }),
      ],
      {
        error: 'skus.mode must be all or list',
      },
    )
    .prefault({ mode: 'all' }),
});
