import { snapshotEachResource } from '../resources';

snapshotEachResource('google_service_account', 'prod-bootstrap');
