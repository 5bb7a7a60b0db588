import { lintSynth } from '../../gcp/lint';
import { validateSynth } from '../../gcp/schema';
import { ENVS, loadStack, resourcesOf } from '../support/synth';

describe.each(ENVS)('%s stack against Google API descriptors and platform limits', (env) => {
  const stack = loadStack(env);

  it('every alert policy, uptime check, channel, log metric, descriptor and dashboard is schema-valid', () => {
    expect(validateSynth(stack, `${env}/cdk.tf.json`)).toEqual([]);
  });

  it('passes the platform-limit lint with no finding at all', () => {
    expect(lintSynth(stack, { sourceName: `${env}/cdk.tf.json` })).toEqual([]);
  });

  it('validates something real: each checked resource type is present', () => {
    for (const type of [
      'google_monitoring_alert_policy',
      'google_monitoring_uptime_check_config',
      'google_monitoring_notification_channel',
      'google_logging_metric',
      'google_monitoring_metric_descriptor',
      'google_monitoring_dashboard',
    ]) {
      expect(Object.keys(resourcesOf(stack, type)).length).toBeGreaterThan(0);
    }
  });
});
