import { snapshotEachResource } from '../resources';

snapshotEachResource('google_monitoring_uptime_check_config');
