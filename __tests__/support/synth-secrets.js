// The secrets jest's global setup puts in the compiled app's environment (as CI would have them when it deploys), so
// that __tests__/foundation/secrets.test.ts can check the whole-suite synth writes them nowhere.
'use strict';

const SYNTH_SECRETS = { pagerduty: 'PD-SECRET-7f3a9c1e-do-not-leak', slack: 'xoxb-SLACK-SECRET-55aa-do-not-leak' };

/** The environment variables that carry them: Terraform's TF_VAR_ names and the plain ones. */
const secretEnv = () => ({
  TF_VAR_pagerduty_service_key: SYNTH_SECRETS.pagerduty,
  TF_VAR_slack_auth_token: SYNTH_SECRETS.slack,
  PAGERDUTY_SERVICE_KEY: SYNTH_SECRETS.pagerduty,
  SLACK_AUTH_TOKEN: SYNTH_SECRETS.slack,
});

module.exports = { SYNTH_SECRETS, secretEnv };
