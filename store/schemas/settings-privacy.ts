// Tenant settings, `privacy`: how long records holding shoppers' personal data keep it.
// Part of the schema in ./settings.ts, which is the module to import settings from.
import { z } from 'zod';

/** Days personal data is kept when a tenant has not said otherwise. */
export const defaultPersonalDataRetentionDays = 90;

/**
 * Retention of the personal data the product keeps beside the accounting facts: vendor messages
 * and details of resolved attention items, the ledger's last error messages, sent alerts and
 * dead-lettered deliveries' reasons (docs/privacy.md). Past it the text is removed; ids, codes,
 * amounts and Intacct keys stay.
 */
export const privacySchema = z.strictObject({
  retentionDays: z
    .number({ error: 'retentionDays must be a number' })
    .int('retentionDays must be a whole number of days')
    .min(1, 'retentionDays must be at least 1')
    .max(3650, 'retentionDays must be at most 3650 (ten years)')
    .default(defaultPersonalDataRetentionDays),
});

export type PrivacySettings = z.output<typeof privacySchema>;
