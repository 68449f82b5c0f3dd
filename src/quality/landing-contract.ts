/**
 * The landing contract of each source: the keys DESIGN.md defines (from TABLES) and which of
 * them a record must carry. Required keys are the ones the jobs cannot do without; the
 * customer's consent dates may be null (null = no consent), so they are optional by design.
 */
import { LANDING_TABLE, TABLES, type Column, type LandingSource } from '../lake/tables.js';

export interface LandingContract {
  readonly source: LandingSource;
  readonly columns: readonly Column[];
  readonly required: readonly string[];
}

const REQUIRED: Readonly<Record<LandingSource, readonly string[]>> = {
  customer: ['email', 'serialNumber', 'registrationDate', 'lastUpdateDate'],
  accelerometer: ['user', 'timestamp', 'x', 'y', 'z'],
  step_trainer: ['sensorReadingTime', 'serialNumber', 'distanceFromObject'],
};

export function landingContract(source: LandingSource): LandingContract {
  return { source, columns: TABLES[LANDING_TABLE[source]].columns, required: REQUIRED[source] };
}
