import { snapshotEachResource } from '../resources';

snapshotEachResource('google_project_iam_member', 'prod-bootstrap');
