/**
 * `stedi keys add|list|revoke`: manage the API keys of the ingestion service. The keys file holds
 * only hashes; `add` prints the new key once, on its last line, so scripts can take `tail -n 1`.
 */
import type { Command } from 'commander';

export function registerKeysCommand(program: Command): void {
  const keys = program.command('keys').description('manage API keys of the ingestion service (stored hashed)');

  keys
    .command('add')
    .description('create a key; prints it on the last line (it cannot be shown again)')
    .requiredOption('--keys <file>', 'keys file (created if missing)')
    .requiredOption('--name <name>', 'who uses the key, e.g. mobile-app')
    .requiredOption('--scopes <list>', 'comma-separated sources: customer, accelerometer, step_trainer')
    .action(async (options: { keys: string; name: string; scopes: string }) => {
      const { addApiKey, parseScopes } = await loadApiKeys();
      const key = await addApiKey(options.keys, options.name, parseScopes(options.scopes));
      process.stdout.write(`added key "${options.name}" with scopes ${options.scopes}; store it now, it is not kept:\n${key}\n`);
    });

  keys
    .command('list')
    .description('list keys: name, scopes, created, status')
    .requiredOption('--keys <file>', 'keys file')
    .action(async (options: { keys: string }) => {
      const { readKeysFile } = await loadApiKeys();
      const contents = await readKeysFile(options.keys, { missingIsEmpty: false });
      const rows = contents.keys.map((k) =>
        [k.name, k.scopes.join(','), k.createdAt, k.revokedAt === null ? 'active' : `revoked ${k.revokedAt}`].join('\t'),
      );
      process.stdout.write(['name\tscopes\tcreated\tstatus', ...rows].join('\n') + '\n');
    });

  keys
    .command('revoke')
    .description('revoke a key; a running server stops accepting it within a second')
    .requiredOption('--keys <file>', 'keys file')
    .requiredOption('--name <name>', 'name of the key to revoke')
    .action(async (options: { keys: string; name: string }) => {
      const { revokeApiKey } = await loadApiKeys();
      await revokeApiKey(options.keys, options.name);
      process.stdout.write(`revoked key "${options.name}"\n`);
    });
}

/** Loaded on use: the keys file's validation (zod) is no cost of every other command's start. */
const loadApiKeys = () => import('../../ingest/api-keys.js');
