/** Small builders for handcrafted generator test records (one place for the fields they fix). */
import type { AccelerometerReading, CustomerRecord, StepTrainerReading } from '../../src/generator/records.js';

export function customer(email: string, serialNumber: string, lastUpdateDate: number, research: number | null, phone = '555'): CustomerRecord {
  return {
    customerName: 'Test Person',
    email,
    phone,
    birthDay: '1990-01-01',
    serialNumber,
    registrationDate: 100,
    lastUpdateDate,
    shareWithResearchAsOfDate: research,
    shareWithPublicAsOfDate: null,
    shareWithFriendsAsOfDate: null,
  };
}

export const acc = (user: string, timestamp: number, x: number, y = x, z = x): AccelerometerReading => ({ user, timestamp, x, y, z });

export const step = (serialNumber: string, sensorReadingTime: number, distanceFromObject: number): StepTrainerReading => ({
  sensorReadingTime,
  serialNumber,
  distanceFromObject,
});
