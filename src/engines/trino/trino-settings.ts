/**
 * Connection settings of the Trino engine, validated once at the edge (zod). Sources, first wins:
 * CLI flags, environment (STEDI_TRINO_URL, _CATALOG, _SCHEMA, _USER, _PASSWORD, _FS_ROOT), a
 * configuration object, defaults. The password is a secret: it is never part of a message, a
 * log line or `describe()`; `redactTrinoSettings` is what may be shown.
 */
import { z } from 'zod';
import { StediError } from '../../errors.js';
import { TRINO_ENV } from './trino-env.js';

const identifier = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a plain identifier (letters, digits, _)')
  .transform((s) => s.toLowerCase());

export const trinoSettingsSchema = z.object({
  url: z
    .string()
    .url('must be a URL such as http://127.0.0.1:8080')
    .refine((u) => /^https?:\/\//.test(u), 'must start with http:// or https://'),
  catalog: identifier.default('lake'),
  /** Where the run's scratch tables and views live; default `stedi_<hash of the lake path>`, created on demand. */
  schema: identifier.optional(),
  user: z.string().min(1).default('stedi'),
  /** Secret. Sent with BasicAuth; Trino accepts a password only over https. */
  password: z.string().min(1).optional(),
  /** TLS: verify the server's certificate (default) and optionally trust an extra CA (PEM file contents). */
  tls: z
    .object({ rejectUnauthorized: z.boolean().default(true), ca: z.string().optional() })
    .optional(),
  /**
   * The local folder that the catalog's `local:///` root maps to (the server's `local.location`);
   * `/` for the server that `npm run trino:start` runs.
   */
  fsRoot: z.string().min(1).default('/'),
});

export type TrinoSettings = z.output<typeof trinoSettingsSchema>;
export type TrinoSettingsInput = z.input<typeof trinoSettingsSchema>;

export interface TrinoFlags {
  trinoUrl?: string | undefined;
  trinoCatalog?: string | undefined;
  trinoSchema?: string | undefined;
  trinoUser?: string | undefined;
}

/** Flags over environment over configuration; throws a CONFIG error naming the bad setting. */
export function resolveTrinoSettings(
  flags: TrinoFlags = {},
  env: NodeJS.ProcessEnv = process.env,
  config: Partial<TrinoSettingsInput> = {},
): TrinoSettings {
  const pick = (flag: string | undefined, name: string): string | undefined => flag ?? (env[name] || undefined);
  const raw = {
    ...config,
    ...defined({
      url: pick(flags.trinoUrl, TRINO_ENV.url),
      catalog: pick(flags.trinoCatalog, TRINO_ENV.catalog),
      schema: pick(flags.trinoSchema, TRINO_ENV.schema),
      user: pick(flags.trinoUser, TRINO_ENV.user),
      password: env[TRINO_ENV.password] || undefined,
      fsRoot: env[TRINO_ENV.fsRoot] || undefined,
    }),
  };
  if (raw.url === undefined) {
    throw new StediError('CONFIG', 'the trino engine needs a server URL', {
      hint: `pass --trino-url or set ${TRINO_ENV.url} (a local server: 'npm run trino:start' prints its URL)`,
    });
  }
  const parsed = trinoSettingsSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = String(issue?.path[0] ?? 'settings');
    throw new StediError('CONFIG', `Trino setting "${field}" is invalid: ${issue?.message ?? 'unknown problem'}`);
  }
  if (parsed.data.password && parsed.data.url.startsWith('http://')) {
    throw new StediError('CONFIG', `${TRINO_ENV.password} is set but ${parsed.data.url} is plain HTTP; Trino accepts passwords only over https`);
  }
  return parsed.data;
}

/** What may be printed or logged: the password replaced by a marker. */
export function redactTrinoSettings(s: TrinoSettings): Record<string, unknown> {
  return { ...s, ...(s.password ? { password: '***' } : {}) };
}

function defined<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
