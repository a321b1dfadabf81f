/**
 * CloudWatch PutMetricAlarm / DescribeAlarms / DeleteAlarms / SetAlarmState over the MetricAlarm kind:
 * PutMetricAlarm is an upsert through the admission pipeline; the alarm loop owns the state, which
 * SetAlarmState overrides until the next evaluation (as in CloudWatch).
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_SetAlarmState.html
 */
import type { Resource } from '../../../api/meta.js';
import { alarmArn } from '../../alarms/plan.js';
import { writeStatus } from '../../shared/status.js';
import { applyOne, reapply } from '../ecs/apply.js';
import { resource, without } from '../ecs/common.js';
import { AwsError } from '../errors.js';
import type { JsonOperation } from '../router.js';

const NOT_FOUND = 'ResourceNotFound';
const INVALID = 'InvalidParameterValueException';
const STATES = ['OK', 'ALARM', 'INSUFFICIENT_DATA'];

function alarmView(a: Resource): Record<string, unknown> {
  const s = a.status ?? {};
  return {
    ...a.spec,
    AlarmName: a.metadata.name,
    AlarmArn: s.AlarmArn ?? alarmArn(a.metadata.name),
    ActionsEnabled: a.spec.ActionsEnabled ?? true,
    DatapointsToAlarm: a.spec.DatapointsToAlarm ?? a.spec.EvaluationPeriods,
    TreatMissingData: a.spec.TreatMissingData ?? 'missing',
    OKActions: a.spec.OKActions ?? [],
    AlarmActions: a.spec.AlarmActions ?? [],
    InsufficientDataActions: a.spec.InsufficientDataActions ?? [],
    StateValue: s.StateValue ?? 'INSUFFICIENT_DATA',
    StateReason: s.StateReason ?? 'Unchecked: Initial alarm creation',
    StateUpdatedTimestamp: s.StateUpdatedTimestamp ?? a.metadata.creationTimestamp,
    StateTransitionedTimestamp: s.StateUpdatedTimestamp ?? a.metadata.creationTimestamp,
    AlarmConfigurationUpdatedTimestamp: a.metadata.creationTimestamp,
  };
}

export const alarmOperations: Record<string, JsonOperation> = {
  async PutMetricAlarm({ app }, input) {
    const current = app.store.get('MetricAlarm', input.AlarmName);
    const spec = without(input);
    if (current) await reapply(app, current, spec);
    else await applyOne(app, resource('MetricAlarm', input.AlarmName, spec));
    return {};
  },

  DescribeAlarms({ app }, input) {
    const names: string[] | undefined = input.AlarmNames?.length ? input.AlarmNames : undefined;
    if (names && (input.AlarmNamePrefix !== undefined)) throw new AwsError('InvalidParameterCombination', 'AlarmNamePrefix and AlarmNames cannot be specified together.');
    const types: string[] = input.AlarmTypes ?? ['MetricAlarm'];
    const max: number = input.MaxRecords ?? 50;
    if (max < 1 || max > 100) throw new AwsError(INVALID, 'The value for parameter MaxRecords must be between 1 and 100.');
    const all = types.includes('MetricAlarm')
      ? app.store
          .list('MetricAlarm')
          .filter((a) => !a.metadata.deletionTimestamp)
          .filter((a) => (!names || names.includes(a.metadata.name)) && a.metadata.name.startsWith(input.AlarmNamePrefix ?? ''))
          .filter((a) => input.StateValue === undefined || (a.status?.StateValue ?? 'INSUFFICIENT_DATA') === input.StateValue)
          .filter((a) => input.ActionPrefix === undefined || (a.spec.AlarmActions ?? []).some((x: string) => x.startsWith(input.ActionPrefix)))
          .sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1))
      : [];
    let start = 0;
    if (input.NextToken) {
      const m = /^DescribeAlarms:(\d{1,9})$/.exec(Buffer.from(String(input.NextToken), 'base64url').toString('utf8'));
      if (!m) throw new AwsError('InvalidNextToken', 'The service returned an invalid NextToken.');
      start = Number(m[1]);
    }
    const page = all.slice(start, start + max);
    return {
      MetricAlarms: page.map(alarmView),
      CompositeAlarms: [],
      ...(start + max < all.length ? { NextToken: Buffer.from(`DescribeAlarms:${start + max}`).toString('base64url') } : {}),
    };
  },

  /** All or nothing: an unknown name fails the call and deletes none (as CloudWatch does). */
  async DeleteAlarms({ app }, input) {
    const names: string[] = input.AlarmNames ?? [];
    const missing = names.find((n) => !app.store.get('MetricAlarm', n));
    if (missing) throw new AwsError(NOT_FOUND, `Alarm ${missing} does not exist.`, 404);
    for (const n of names) await app.api.deleteAndPersist('MetricAlarm', n);
    return {};
  },

  async SetAlarmState({ app }, input) {
    const a = app.store.get('MetricAlarm', input.AlarmName);
    if (!a) throw new AwsError(NOT_FOUND, `Alarm ${input.AlarmName} does not exist.`, 404);
    if (!STATES.includes(input.StateValue)) throw new AwsError(INVALID, `Invalid StateValue ${String(input.StateValue).slice(0, 64)}.`);
    if (input.StateReasonData !== undefined) {
      try {
        JSON.parse(input.StateReasonData);
      } catch {
        throw new AwsError('InvalidFormat', 'StateReasonData is not valid JSON.');
      }
    }
    writeStatus(app.store, a, { ...(a.status ?? {}), StateValue: input.StateValue, StateReason: input.StateReason, StateUpdatedTimestamp: new Date(app.clock.now()).toISOString() });
    await app.api.persist();
    return {};
  },
};
