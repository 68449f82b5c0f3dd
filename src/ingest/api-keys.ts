/**
 * API keys. A key is 32 random bytes (base64url, prefixed `stedi_` so it is recognizable in a
 * secret scanner); the keys file keeps only its sha256, the key's name and its scopes (the landing
 * sources it may write). A high-entropy key needs no slow password hash: sha256 cannot be reversed
 * and guessing 256 bits is hopeless. Lookups compare hashes, so timing reveals nothing about a key.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { StediError } from '../errors.js';
import { LANDING_SOURCES, type LandingSource } from '../lake/tables.js';
import { writeFileAtomically } from './fs-durable.js';

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

const storedKey = z.object({
  name: z.string().regex(NAME),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  scopes: z.array(z.enum(LANDING_SOURCES)).min(1),
  createdAt: z.string(),
  revokedAt: z.string().nullable(),
});
export type StoredKey = z.infer<typeof storedKey>;

const keysFile = z.object({ version: z.literal(1), keys: z.array(storedKey) });
export type KeysFile = z.infer<typeof keysFile>;

export interface ApiKey {
  readonly name: string;
  readonly scopes: ReadonlySet<LandingSource>;
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

export function generateApiKey(): string {
  return `stedi_${randomBytes(32).toString('base64url')}`;
}

export async function readKeysFile(file: string, options: { missingIsEmpty: boolean }): Promise<KeysFile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' && options.missingIsEmpty) return { version: 1, keys: [] };
    throw new StediError('CONFIG', `cannot read keys file ${file}`, {
      hint: 'create one with `stedi keys add --keys FILE --name NAME --scopes accelerometer`',
      cause: err,
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new StediError('CONFIG', `keys file ${file} is not valid JSON`, { cause: err });
  }
  const parsed = keysFile.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new StediError('CONFIG', `keys file ${file} is malformed at ${issue?.path.join('.') ?? '?'}: ${issue?.message ?? ''}`);
  }
  return parsed.data;
}

/** Written atomically and readable by the owner only: hashes are not secrets, but scopes and names are nobody else's business. */
export async function writeKeysFile(file: string, contents: KeysFile): Promise<void> {
  await writeFileAtomically(file, `${JSON.stringify(contents, null, 2)}\n`, 0o600);
}

export function parseScopes(text: string): LandingSource[] {
  const scopes = [...new Set(text.split(',').map((s) => s.trim()).filter((s) => s !== ''))];
  const unknown = scopes.filter((s) => !(LANDING_SOURCES as readonly string[]).includes(s));
  if (scopes.length === 0 || unknown.length > 0) {
    throw new StediError('USAGE', `invalid scopes "${text}"`, { hint: `use a comma-separated list of ${LANDING_SOURCES.join(', ')}` });
  }
  return scopes as LandingSource[];
}

/** Adds a key named `name`; returns the new key, which exists nowhere else once this returns. */
export async function addApiKey(file: string, name: string, scopes: readonly LandingSource[], now = new Date()): Promise<string> {
  if (!NAME.test(name)) {
    throw new StediError('USAGE', `invalid key name "${name}"`, { hint: 'use letters, digits, ".", "_" or "-" (at most 64)' });
  }
  const contents = await readKeysFile(file, { missingIsEmpty: true });
  if (contents.keys.some((k) => k.name === name)) {
    throw new StediError('USAGE', `a key named "${name}" already exists in ${file}`, { hint: 'choose another name' });
  }
  const key = generateApiKey();
  contents.keys.push({ name, sha256: hashApiKey(key), scopes: [...scopes], createdAt: now.toISOString(), revokedAt: null });
  await writeKeysFile(file, contents);
  return key;
}

export async function revokeApiKey(file: string, name: string, now = new Date()): Promise<void> {
  const contents = await readKeysFile(file, { missingIsEmpty: false });
  const key = contents.keys.find((k) => k.name === name && k.revokedAt === null);
  if (!key) throw new StediError('USAGE', `no active key named "${name}" in ${file}`);
  key.revokedAt = now.toISOString();
  await writeKeysFile(file, contents);
}

/** The active keys of a keys file, looked up by hash. */
export class KeyRing {
  private readonly byHash: Map<string, ApiKey>;

  constructor(contents: KeysFile) {
    this.byHash = new Map(
      contents.keys.filter((k) => k.revokedAt === null).map((k) => [k.sha256, { name: k.name, scopes: new Set(k.scopes) }]),
    );
  }

  get size(): number {
    return this.byHash.size;
  }

  authenticate(presented: string): ApiKey | undefined {
    return this.byHash.get(hashApiKey(presented));
  }
}
