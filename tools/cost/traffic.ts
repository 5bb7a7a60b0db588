/**
 * The reference traffic shape (docs/reference/traffic.md): weekdays at the floor from 00 to 07 local time, a linear
 * ramp to the peak by 10, the peak until 15, a linear ramp back to the floor by 20; weekends at 30 % of the weekday
 * rate of the same hour, never below the floor ("night and weekend floor"). Rates scale with a traffic multiplier.
 */
import type { EnvironmentConfig } from '../../environments/schema';

export type Traffic = EnvironmentConfig['traffic'];

/** An average month: 365.25 / 12 days. */
export const DAYS_PER_MONTH = 365.25 / 12;
export const SECONDS_PER_MONTH = DAYS_PER_MONTH * 86400;
export const MINUTES_PER_MONTH = DAYS_PER_MONTH * 1440;
/** Weeks in a month: each hour of the week occurs this many times a month. */
export const WEEKS_PER_MONTH = DAYS_PER_MONTH / 7;
export const WEEKEND_SHARE = 0.3;

/** The traffic with every rate multiplied (shares, sizes and connection counts unchanged). */
export function scaleTraffic(t: Traffic, multiplier: number): Traffic {
  return {
    ...t,
    peakRps: t.peakRps * multiplier,
    floorRps: t.floorRps * multiplier,
    failedLoginsPerHourAtPeak: t.failedLoginsPerHourAtPeak * multiplier,
    contentGenerationsPerHourAtPeak: t.contentGenerationsPerHourAtPeak * multiplier,
  };
}

/** Fraction of the way from floor to peak at a local time (hours, may be fractional) of a weekday. */
export function weekdayLevel(hour: number): number {
  if (hour < 7 || hour >= 20) return 0;
  if (hour < 10) return (hour - 7) / 3;
  if (hour < 15) return 1;
  return 1 - (hour - 15) / 5;
}

export interface HourOfWeek {
  weekend: boolean;
  /** Local hour 0-23. */
  hour: number;
  /** Average API requests a second in this hour. */
  rps: number;
  /** This hour's rate relative to the peak (0..1), for events quoted "at peak". */
  peakShare: number;
}

/** The 168 hours of a week (Monday 00 first), with the hour's average rate (taken at the half hour). */
export function weekProfile(t: Traffic): HourOfWeek[] {
  const hours: HourOfWeek[] = [];
  for (let day = 0; day < 7; day++) {
    const weekend = day >= 5;
    for (let hour = 0; hour < 24; hour++) {
      const weekday = t.floorRps + (t.peakRps - t.floorRps) * weekdayLevel(hour + 0.5);
      const rps = weekend ? Math.max(t.floorRps, WEEKEND_SHARE * weekday) : weekday;
      hours.push({ weekend, hour, rps, peakShare: rps / t.peakRps });
    }
  }
  return hours;
}

/** Average requests a second over the week. */
export function averageRps(t: Traffic): number {
  const week = weekProfile(t);
  return week.reduce((s, h) => s + h.rps, 0) / week.length;
}

/** Sum of f(hour) × 60 minutes over a month: f gives a per-minute quantity in that hour. */
export function perMonth(t: Traffic, perMinute: (h: HourOfWeek) => number): number {
  return weekProfile(t).reduce((s, h) => s + perMinute(h) * 60, 0) * WEEKS_PER_MONTH;
}
