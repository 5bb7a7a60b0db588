import { snapshotEachResource } from '../resources';

snapshotEachResource('time_sleep');
