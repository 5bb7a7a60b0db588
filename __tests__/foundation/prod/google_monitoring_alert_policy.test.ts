import { snapshotEachResource } from '../resources';

snapshotEachResource('google_monitoring_alert_policy');
