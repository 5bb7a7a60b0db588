/**
 * The real-format LogEntry builders moved to tools/shared/log-entries.ts (the fire drills write the same lines); this
 * re-export keeps the tests' imports working.
 */
export * from '../../tools/shared/log-entries';
