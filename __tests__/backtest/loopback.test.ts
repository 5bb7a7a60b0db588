/**
 * The backtest against the loopback API server (api-server.ts) through the real client libraries, in one jest file:
 * each jest file loads @google-cloud/monitoring and @google-cloud/logging anew (two google-gax copies and their
 * protos, about half a second of CPU), so these three suites share one load. Each keeps its own file:
 * - faults.cases.ts: 403s name the missing role; quota backs off, then partial data and a resumable cache; caps,
 *   retention and bad arguments stop up front;
 * - log-metric-source.cases.ts: a log-based metric's own series or its rebuild from log entries;
 * - cli.cases.ts: the progress line only on a terminal; --base REF compares with that ref's synth.
 * (backtest/e2e.test.ts, the prod week, stays a file of its own: it is the longest, and jest runs it first.)
 */
import './faults.cases';
import './log-metric-source.cases';
import './cli.cases';
