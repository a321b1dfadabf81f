/**
 * CloudWatch alarm states as the service scheduler reads them for deployment alarms
 * (`deploymentConfiguration.alarms`). A small seam: `AlarmStateSource` is all the scheduler needs,
 * so a fuller alarm model (a MetricAlarm kind evaluating metrics) can stand in for this named
 * store, which the Scenario `alarm` step and tests set directly. An alarm nobody set reads as
 * INSUFFICIENT_DATA, which fails no deployment (only ALARM does).
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-alarm-failure.html
 */
export const ALARM_STATES = ['OK', 'ALARM', 'INSUFFICIENT_DATA'] as const;
export type AlarmState = (typeof ALARM_STATES)[number];

export interface AlarmStateSource {
  stateOf(alarmName: string): AlarmState | undefined;
}

export class AlarmStateStore implements AlarmStateSource {
  private readonly states = new Map<string, AlarmState>();

  set(alarmName: string, state: AlarmState): void {
    this.states.set(alarmName, state);
  }

  stateOf(alarmName: string): AlarmState | undefined {
    return this.states.get(alarmName);
  }
}
