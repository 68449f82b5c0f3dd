/** The synthetic data generator's public API. */
export {
  generateLake,
  DEFAULT_SEED,
  EXPECTATIONS_FORMAT_VERSION,
  JOB_OUTPUT,
  type GenerateOptions,
  type GenerateProgress,
  type GeneratedLake,
  type ExpectedFile,
  type PerLandingTable,
} from './generate-lake.js';
export { JOB_NAMES, type JobName, type JobLedger, type PolicyLedger, type LedgerExpectations } from './ledger.js';
export { ERROR_RULES, WARNING_RULES, type ErrorRule, type WarningRule } from './quality.js';
export {
  computeExpectations,
  resolveCustomers,
  countReadings,
  POLICIES,
  type Expectations,
  type Policy,
  type DerivedTableCounts,
} from './expectations.js';
export { DEFAULT_FRACTIONS, type SurpriseFractions } from './config.js';
export { emailKey, type CustomerRecord, type AccelerometerReading, type StepTrainerReading } from './records.js';
