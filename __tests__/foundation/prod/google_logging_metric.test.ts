import { snapshotEachResource } from '../resources';

snapshotEachResource('google_logging_metric');
