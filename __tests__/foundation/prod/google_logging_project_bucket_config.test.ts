import { snapshotEachResource } from '../resources';

snapshotEachResource('google_logging_project_bucket_config');
