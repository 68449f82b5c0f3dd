/** Every CLI command, registered in the order `stedi --help` lists them. */
import type { Command } from 'commander';
import { registerDemo } from './demo.js';
import { registerGenerate } from './generate.js';
import { registerRun } from './run.js';
import { registerStatus } from './status.js';
import { registerRuns } from './runs.js';
import { registerQuarantine } from './quarantine.js';
import { registerCheck } from './check.js';
import { registerServeCommand } from './serve.js';
import { registerKeysCommand } from './keys.js';
import { registerCatalog } from './catalog.js';

export function registerCommands(program: Command): void {
  registerDemo(program);
  registerGenerate(program);
  registerRun(program);
  registerStatus(program);
  registerRuns(program);
  registerQuarantine(program);
  registerCheck(program);
  registerServeCommand(program);
  registerKeysCommand(program);
  registerCatalog(program);
}
