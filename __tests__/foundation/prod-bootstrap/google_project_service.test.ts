import { snapshotEachResource } from '../resources';

snapshotEachResource('google_project_service', 'prod-bootstrap');
