/** Option parsers shared by commands: they turn bad values into usage errors with the option named. */
import { InvalidArgumentError } from 'commander';
import { POLICIES, type Policy } from '../pipeline/model.js';

export function parsePositiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('expected a positive whole number');
  return n;
}

export function parseList(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

export function parsePolicy(value: string): Policy {
  if (!(POLICIES as readonly string[]).includes(value)) {
    throw new InvalidArgumentError(`expected one of ${POLICIES.join(', ')}`);
  }
  return value as Policy;
}

export function parseRate(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n >= 1) throw new InvalidArgumentError('expected a number from 0 up to (not including) 1');
  return n;
}
