import { snapshotEachResource } from '../resources';

snapshotEachResource('google_iam_workload_identity_pool_provider', 'prod-bootstrap');
