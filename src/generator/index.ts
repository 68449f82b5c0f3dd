/** The synthetic data generator's public API. */
export { generateLake, DEFAULT_SEED, type GenerateOptions, type GenerateProgress, type GeneratedLake, type ExpectedFile } from './generate-lake.js';
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
