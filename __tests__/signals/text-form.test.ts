/**
 * The same events as dev and Terraform-deployed prod print them: DevelopmentFormatter text with ANSI colour codes,
 * severity DEFAULT (vividly-app.md §2.1, §2.3); the login path's print() lines and the push worker's stderr lines in
 * every environment (§2.3, §2.5). Each case asserts the complete set of metrics it contributes to.
 */
import { apiEvents, appJsonCases, appTextCases, ENVS, expectCases, printCases, workerCases } from './support';

describe.each(['dev', 'prod'] as const)('%s: API text lines (ANSI, severity DEFAULT)', (env) => {
  it('are text with colour codes and no severity (the builder really produces the deployed form)', () => {
    for (const c of appTextCases(env)) {
      expect(c.entry.textPayload).toMatch(/^\u001b\[3[0-9]m\[[A-Z]+\]\u001b\[0m |^\[[A-Z]+\] /);
      expect(c.entry.severity).toBeUndefined();
      expect(c.entry.jsonPayload).toBeUndefined();
    }
  });

  it('each app-log metric matches exactly its event, and the look-alikes match nothing', () => {
    expectCases(env, appTextCases(env));
  });

  it('covers every app-log metric except login_failure_reasons (print lines only)', () => {
    expect(new Set(apiEvents(env).map((e) => e.metric))).toEqual(
      new Set(['account_lockouts', 'locked_login_attempts', 'rate_limit_rejections', 'token_refresh_replays', 'db_connection_errors', 'metric_write_failures']),
    );
  });
});

describe.each(['staging', 'prod'] as const)('%s: API JSON lines (staging; GitHub-deployed production)', (env) => {
  it('each app-log metric matches exactly its event, and the look-alikes match nothing', () => {
    expectCases(env, appJsonCases(env));
  });
});

describe.each(ENVS)('%s: print() lines of the login path', (env) => {
  it('match login_failure_reasons with the bounded reason label, and nothing else', () => {
    expectCases(env, printCases(env));
  });
});

describe.each(ENVS)('%s: push-worker stderr lines', (env) => {
  it('completions (with duration), failures and retries match exactly their metrics', () => {
    expectCases(env, workerCases(env));
  });

  it('extracts the duration value 12.3 s from "duration=12.3s"', () => {
    const c = workerCases(env).find((x) => x.id === 'worker: completed successfully')!;
    expect(c.entry.textPayload).toMatch(/ - app\.workers\.push_worker - INFO - Request completed successfully: .*, duration=12\.3s$/);
    expect(c.entry.logName).toMatch(/run\.googleapis\.com%2Fstderr$/);
    expect(c.expect.content_generation_duration).toEqual({ value: 12.3 });
  });
});
