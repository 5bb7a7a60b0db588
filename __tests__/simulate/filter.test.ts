import { matchesFilter, parseMonitoringFilter } from '../../gcp/simulate/filter';

const s = {
  metric: { type: 'run.googleapis.com/request_count', labels: { response_code: '503', response_code_class: '5xx' } },
  resource: { type: 'cloud_run_revision', labels: { service_name: 'prod-vividly-api', location: 'us-central1', project_id: 'p1' } },
};
const m = (f: string) => matchesFilter(parseMonitoringFilter(f), s);

describe('monitoring filter', () => {
  test.each([
    ['metric.type = "run.googleapis.com/request_count" AND resource.type = "cloud_run_revision"', true],
    ['metric.type="run.googleapis.com/request_count" resource.type="cloud_run_revision"', true], // implicit AND
    ['resource.label.service_name = "prod-vividly-api"', true],
    ['resource.labels.service_name != "prod-vividly-api"', false],
    ['resource.label."service_name" = "prod-vividly-api"', true],
    ['metric.label.response_code >= 500 AND metric.label.response_code < 600', true],
    ['metric.labels.response_code > 503', false],
    ['metric.labels.response_code <= 503', true],
    ['resource.labels.service_name = starts_with("prod-")', true],
    ['resource.labels.service_name = ends_with("-api")', true],
    ['resource.labels.service_name = has_substring("vividly")', true],
    ['metric.labels.response_code_class = one_of("4xx", "5xx")', true],
    ['resource.labels.location = monitoring.regex.full_match("us-.*")', true],
    ['resource.labels.location = monitoring.regex.full_match("us")', false], // full match, not search
    ['NOT metric.labels.response_code_class = "2xx"', true],
    ['(metric.labels.response_code_class = "2xx" OR metric.labels.response_code_class = "5xx") AND resource.type = "cloud_run_revision"', true],
    ['metric.labels.missing = "x"', false],
    ['metric.labels.missing != "x"', true],
    ['project = "p1"', true],
  ])('%s -> %s', (f, expected) => expect(m(f)).toBe(expected));

  test.each([
    ['group.id = "g"', /group\.id needs the group's membership.*UNSUPPORTED by the simulator/],
    ['metadata.user_labels.a = "b"', /metadata\.user_labels\.a needs the resource's metadata/],
    ['widget.type = "x"', /unknown selector "widget.type"/],
    ['resource.labels.zone : "us"', /":" \(has\) operator/],
    ['metric.type = foo', /unsupported right-hand side "foo"/],
    ['a.b = "x" and resource.type = "y"', /unknown selector|must be upper case/],
    ['metric.type = "a" AND resource.type = "b" OR resource.type = "c"', /mixed without parentheses/],
    ['metric.labels.code > "5"', /numeric right-hand side/],
    ['metric.type = "a" AND (resource.type = "b"', /end of filter|expected "\)"/],
    ['metric.label.x = monitoring.regex.full_match("(?=a)")', /invalid RE2/],
  ])('error: %s', (f, re) => expect(() => parseMonitoringFilter(f)).toThrow(re));
});
