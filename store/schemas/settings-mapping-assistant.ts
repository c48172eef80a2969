// Tenant settings, `mappingAssistant`: whether suggested mapping rows may be written without a person.
// Part of the schema in ./settings.ts, which is the module to import settings from.
import { z } from 'zod';

/**
 * Automatic application of mapping suggestions (docs/mapping-assistant.md). Off by default: a
 * suggestion becomes a row only when a person accepts it. When on, `…/suggestions/apply` writes
 * each value's best candidate at or above `minConfidence` as a new row marked as the assistant's,
 * never over a row that exists. Below 0.5 a candidate is a guess, not a match, so lower is refused.
 */
export const mappingAssistantSchema = z.strictObject({
  autoApply: z
    .strictObject({
      enabled: z.boolean({ error: 'enabled must be true or false' }).default(false),
      /** The least confidence a candidate needs to be applied without a person. */
      minConfidence: z
        .number({ error: 'minConfidence must be a number' })
        .min(0.5, 'minConfidence must be at least 0.5')
        .max(1, 'minConfidence must be at most 1')
        .default(0.9),
    })
    .prefault({}),
});

export type MappingAssistantSettings = z.output<typeof mappingAssistantSchema>;
