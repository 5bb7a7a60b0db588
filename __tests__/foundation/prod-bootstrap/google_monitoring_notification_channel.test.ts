import { snapshotEachResource } from '../resources';

snapshotEachResource('google_monitoring_notification_channel', 'prod-bootstrap');
