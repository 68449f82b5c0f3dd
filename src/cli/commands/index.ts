/** Every CLI command, registered in the order `stedi --help` lists them. */
import type { Command } from 'commander';

export function registerCommands(_program: Command): void {
  // Commands are added here as they land.
}
