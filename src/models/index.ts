/** The five STEDI jobs. Order here is only for display; the runner orders them by their inputs. */
import type { Model } from '../pipeline/model.js';
import { customerTrusted } from './customer-trusted.js';
import { accelerometerTrusted } from './accelerometer-trusted.js';
import { customerCurated } from './customer-curated.js';
import { stepTrainerTrusted } from './step-trainer-trusted.js';
import { machineLearningCurated } from './machine-learning-curated.js';

export const MODELS: readonly Model[] = [
  customerTrusted,
  accelerometerTrusted,
  customerCurated,
  stepTrainerTrusted,
  machineLearningCurated,
];
