import path from 'node:path';
import { z } from 'zod';
import { environmentSchema, projectRoot } from './index.js';

/** Where the generated page lives, relative to the repository root. */
export const configurationDocPath = 'docs/configuration.md';

/** One environment variable as the configuration page shows it. */
export interface DocumentedVariable {
  name: string;
  /** The schema's default, `—` when there is none. */
  defaultValue: string;
  /** What the variable accepts: an enum's values, or the kind of value. */
  accepts: string;
  description: string;
}

/**
 * Reads every variable of the configuration schema with its default, what it accepts and its
 * description. Throws when a variable has no `.describe()` text, so no variable goes undocumented.
 */
export function documentedVariables(): DocumentedVariable[] {
  return Object.entries(environmentSchema.shape).map(([name, schema]: [string, z.ZodType]) => {
    const description = schema.description;
    if (description === undefined || description.trim() === '') {
      throw new Error(`config/index.ts: ${name} has no .describe() text`);
    }
    return { name, defaultValue: defaultOf(schema), accepts: acceptedValuesOf(schema), description };
  });
}

/** The configuration page, exactly as `npm run docs:config` writes it. */
export function renderConfigurationDoc(): string {
  const escape = (text: string) => text.replaceAll('|', '\\|');
  const rows = documentedVariables().map(
    (variable) => `| \`${variable.name}\` | ${variable.defaultValue} | ${escape(variable.accepts)} | ${escape(variable.description)} |`,
  );
  return [
    '# Configuration',
    '',
    '<!-- Generated from the schema in config/index.ts by `npm run docs:config`; edit the schema, not this file. -->',
    '',
    'Every setting comes from the environment. `config/index.ts` reads it once at start-up (zod over',
    '`process.env`); an invalid value stops the process with a message naming every bad variable.',
    'Empty values count as unset. Tenant settings (statuses, mappings, schedules) are not here: they',
    'live in MongoDB and are changed through the [admin API](admin-api.md).',
    '',
    '| variable | default | accepts | meaning |',
    '|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}

/** What the schema yields for an unset variable, so defaults are read the way the product reads them. */
function defaultOf(schema: z.ZodType): string {
  const unset = schema.safeParse(undefined);
  // An empty list (API_TRUSTED_PROXIES) is "none", as an unset text is.
  if (!unset.success || unset.data === undefined || (Array.isArray(unset.data) && unset.data.length === 0)) return '—';
  const value: unknown = unset.data;
  const shown = typeof value === 'string' && path.isAbsolute(value) ? path.relative(projectRoot, value) : String(value);
  return `\`${shown}\``;
}

function acceptedValuesOf(schema: z.ZodType): string {
  if (schema instanceof z.ZodEnum) {
    const options = (schema.options as string[]).filter((option) => option !== '');
    return options.every((option) => ['true', 'false', '1', '0', 'yes', 'no'].includes(option))
      ? '`true`/`false` (or `1`/`0`, `yes`/`no`)'
      : options.map((option) => `\`${option}\``).join(', ');
  }
  if (schema instanceof z.ZodDefault || schema instanceof z.ZodOptional) return acceptedValuesOf(schema.def.innerType as z.ZodType);
  if (schema instanceof z.ZodPipe) return acceptedValuesOf(schema.def.in as z.ZodType);
  if (schema instanceof z.ZodNumber) {
    if (schema.safeParse(0).success) return schema.safeParse(65536).success ? 'integer ≥ 0' : 'port';
    return 'integer ≥ 1';
  }
  return 'text';
}
