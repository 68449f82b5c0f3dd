import { InvalidArgumentError, type Command } from 'commander';
import { catalogScript, DDL_DIALECTS, type DdlDialect } from '../../catalog/ddl.js';

function parseDialect(value: string): DdlDialect {
  if (!(DDL_DIALECTS as readonly string[]).includes(value)) throw new InvalidArgumentError(`expected one of ${DDL_DIALECTS.join(', ')}`);
  return value as DdlDialect;
}

export function registerCatalog(program: Command): void {
  const catalog = program.command('catalog').description('catalog integration for other engines');
  catalog
    .command('ddl')
    .description('print CREATE TABLE statements for all eight tables (landing JSON lines, trusted/curated Parquet)')
    .requiredOption('--dialect <name>', DDL_DIALECTS.join(' | '), parseDialect)
    .requiredOption('--location <uri>', 'the lake root as the engine sees it, e.g. s3://bucket/lake, local:///data/lake, /data/lake')
    .option('--schema <name>', 'qualify table names with this schema (Athena: database)')
    .action((flags: { dialect: DdlDialect; location: string; schema?: string }) => {
      process.stdout.write(catalogScript(flags.dialect, { location: flags.location, schema: flags.schema }));
    });
}
