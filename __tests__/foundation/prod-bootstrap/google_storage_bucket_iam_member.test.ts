import { snapshotEachResource } from '../resources';

snapshotEachResource('google_storage_bucket_iam_member', 'prod-bootstrap');
