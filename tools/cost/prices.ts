/** The dated prices file (pricing/gcp-observability-prices.json): one place for every price and its source. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { projectRoot } from '../../catalog/project-root';

export interface Priced<T = number> {
  value: T;
  source: string;
}

export interface Prices {
  asOf: string;
  currency: string;
  verifyAt: string;
  logging: { ingestionUsdPerGiB: Priced; freeGiBPerProjectMonth: Priced; retentionUsdPerGiBMonthBeyond30Days: Priced };
  metrics: {
    usdPerMiBTiers: Priced<Array<{ upToMiB: number | null; usdPerMiB: number }>>;
    freeMiBPerBillingAccountMonth: Priced;
    bytesPerScalarPoint: Priced;
    bytesPerDistributionPoint: Priced;
  };
  uptime: { usdPerThousandExecutions: Priced; freeExecutionsPerMonth: Priced };
  alerting: {
    modelInForce: 'per-metric-reference' | 'per-condition';
    decision: string;
    models: {
      'per-metric-reference': { usdPerMetricReferenceMonth: Priced; usdPerMillionPointsReturned: Priced; evaluationsPerMonth: Priced };
      'per-condition': { usdPerConditionMonth: Priced; usdPerMillionTimeSeriesReturned: Priced };
    };
  };
}

export const PRICES_FILE = path.join('pricing', 'gcp-observability-prices.json');

export function loadPrices(file = path.join(projectRoot(), PRICES_FILE)): Prices {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as Prices;
}
