import { snapshotEachResource } from '../resources';

snapshotEachResource('google_service_account_iam_member', 'prod-bootstrap');
