/**
 * Environment variables of the Trino engine's settings. Apart from trino-settings.ts, which loads
 * zod, so that CLI help can name them without that cost.
 */
export const TRINO_ENV = {
  url: 'STEDI_TRINO_URL',
  catalog: 'STEDI_TRINO_CATALOG',
  schema: 'STEDI_TRINO_SCHEMA',
  user: 'STEDI_TRINO_USER',
  password: 'STEDI_TRINO_PASSWORD',
  fsRoot: 'STEDI_TRINO_FS_ROOT',
} as const;
