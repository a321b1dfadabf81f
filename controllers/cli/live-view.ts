/**
 * The live status view of `ecsplane run`: in a terminal, the dashboard (dashboard.ts: services and
 * deployment progress, tasks not running and why, instances, recent events; in colour) redrawn every
 * second, with queues, alarms, rules and schedules below it when there are any; when not a TTY,
 * plain lines: every event as it happens and a service line whenever its counts change.
 */
import type { Subscription } from 'rxjs';
import { clusterOf } from '../../api/meta.js';
import type { App } from '../register.js';
import { renderTable } from './table.js';
import { busEventLine } from '../events/summary.js';
import { dashboardModel, renderDashboard, MAX_EVENT_ROWS, type DashboardEvent } from './dashboard.js';

/** Width drawn for when the terminal does not say (a pseudo-terminal of size 0, e.g. under `script`). */
const DEFAULT_COLUMNS = 160;
import { isoTime } from '../shared/time.js';

export class LiveView {
  private timer: NodeJS.Timeout | undefined;
  private sub: Subscription | undefined;
  private busSub: Subscription | undefined;
  private readonly notes: string[] = [];
  private readonly recent: DashboardEvent[] = [];
  private readonly lastLine = new Map<string, string>();
  /** Plain lines not yet written: one write per turn of the event loop, not one per event (a pipe write is a syscall). */
  private pending = '';
  private flushing: NodeJS.Immediate | undefined;
  readonly tty: boolean;

  constructor(
    private readonly app: App,
    private readonly out: NodeJS.WriteStream,
  ) {
    this.tty = Boolean(out.isTTY) && process.env.ECSPLANE_PLAIN !== '1';
  }

  start(): void {
    this.sub = this.app.events.stream.subscribe((e) => {
      const line = `${isoTime(e.t)} ${e.kind.toLowerCase()}/${e.name}: ${e.message}`;
      this.remember(line);
      this.keep({ t: e.t, line: `${e.kind.toLowerCase()}/${e.name}: ${e.message}`, warning: e.type === 'Warning' });
      if (!this.tty) this.emit(line);
    });
    // Bus events, one line each: ECS's own only while a rule or schedule could act on them.
    this.busSub = this.app.bus.stream.subscribe((e) => {
      if (e.source === 'aws.ecs' && this.app.store.count('Rule') + this.app.store.count('Schedule') === 0) return;
      this.note(`${new Date(e.t).toISOString()} bus: ${busEventLine(e.event)}`);
    });
    this.timer = setInterval(() => (this.tty ? this.redraw() : this.printChanges()), this.tty ? 1000 : 250);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.sub?.unsubscribe();
    this.busSub?.unsubscribe();
    if (!this.tty) this.printChanges();
    this.flush();
  }

  /** Print the final table once (also when not a TTY). */
  final(): void {
    this.flush();
    this.out.write(this.render() + '\n');
  }

  note(line: string): void {
    this.remember(line);
    this.keep({ t: this.app.clock.now(), line, warning: /^(error|warning)\b/.test(line) || line.includes(' ERROR ') || line.includes(' WARN ') });
    if (!this.tty) this.emit(line);
  }

  private emit(line: string): void {
    this.pending += line + '\n';
    this.flushing ??= setImmediate(() => this.flush());
  }

  private flush(): void {
    if (this.flushing) clearImmediate(this.flushing);
    this.flushing = undefined;
    if (!this.pending) return;
    const text = this.pending;
    this.pending = '';
    this.out.write(text);
  }

  private remember(line: string): void {
    this.notes.push(line);
    if (this.notes.length > 8) this.notes.shift();
  }

  private keep(e: DashboardEvent): void {
    this.recent.push(e);
    if (this.recent.length > MAX_EVENT_ROWS) this.recent.shift();
  }

  private printChanges(): void {
    for (const s of this.app.store.list('Service')) {
      const st = s.status ?? {};
      const deps = (st.deployments ?? []).map((d: any) => `${d.status}:${d.runningCount}/${d.desiredCount}:${d.rolloutState}`).join(' ');
      const line = `service ${clusterOf(s)}/${s.metadata.name} desired=${st.desiredCount ?? s.spec.desiredCount ?? 0} running=${st.runningCount ?? 0} pending=${st.pendingCount ?? 0} status=${st.status ?? 'ACTIVE'} deployments=[${deps}]`;
      const key = `${clusterOf(s)}/${s.metadata.name}`;
      if (this.lastLine.get(key) !== line) {
        this.lastLine.set(key, line);
        this.emit(line);
      }
    }
  }

  private redraw(): void {
    const model = dashboardModel(
      { services: this.app.store.list('Service'), tasks: this.app.store.list('Task'), instances: this.app.store.list('ContainerInstance') },
      this.recent,
      this.app.clock.now(),
    );
    const extra = [...queueTables(this.app), ...invokerTable(this.app)];
    this.out.write('\x1b[H\x1b[2J' + renderDashboard(model, this.out.columns || DEFAULT_COLUMNS) + '\n' + (extra.length ? '\n' + extra.join('\n') + '\n' : ''));
  }

  /** The plain table `run --until-steady` ends with (also when not a TTY). */
  render(): string {
    const services = this.app.store.list('Service').map((s) => {
      const st = s.status ?? {};
      return [
        `${clusterOf(s)}/${s.metadata.name}`,
        String(st.desiredCount ?? s.spec.desiredCount ?? 0),
        String(st.runningCount ?? 0),
        String(st.pendingCount ?? 0),
        st.status ?? '',
        (st.deployments ?? []).map((d: any) => `${d.status} ${String(d.taskDefinition).split('/').pop()} ${d.runningCount}/${d.desiredCount} ${d.rolloutState}`).join('; '),
      ];
    });
    const instances = this.app.store.list('ContainerInstance').map((i) => {
      const rem = (n: string) => i.status?.remainingResources?.find((r: any) => r.name === n)?.integerValue ?? '';
      return [`${clusterOf(i)}/${i.metadata.name}`, i.status?.status ?? '', String(i.status?.agentConnected ?? ''), String(i.status?.runningTasksCount ?? 0), `${rem('CPU')}`, `${rem('MEMORY')}`];
    });
    return [
      `ecsplane — ${new Date(this.app.clock.now()).toISOString()}  (Ctrl-C to stop)`,
      '',
      renderTable(['SERVICE', 'DESIRED', 'RUNNING', 'PENDING', 'STATUS', 'DEPLOYMENTS'], services),
      '',
      renderTable(['INSTANCE', 'STATUS', 'AGENT', 'TASKS', 'CPU LEFT', 'MEM LEFT'], instances),
      '',
      ...queueTables(this.app),
      ...invokerTable(this.app),
      'recent:',
      ...this.notes.map((n) => `  ${n}`),
    ].join('\n');
  }
}

/** SQS queues and CloudWatch alarms (docs/queues.md), when there are any. */
export function queueTables(app: App): string[] {
  const queues = app.store.list('Queue').map((q) => {
    const st = q.status ?? {};
    return [q.metadata.name, String(st.ApproximateNumberOfMessages ?? 0), String(st.ApproximateNumberOfMessagesNotVisible ?? 0), String(st.ApproximateNumberOfMessagesDelayed ?? 0), `${st.ApproximateAgeOfOldestMessage ?? 0}s`, String(st.consumers ?? 0)];
  });
  const alarms = app.store.list('MetricAlarm').map((a) => [a.metadata.name, a.status?.StateValue ?? 'INSUFFICIENT_DATA', a.status?.StateReason ?? '']);
  return [
    ...(queues.length ? [renderTable(['QUEUE', 'VISIBLE', 'INFLIGHT', 'DELAYED', 'OLDEST', 'CONSUMERS'], queues), ''] : []),
    ...(alarms.length ? [renderTable(['ALARM', 'STATE', 'REASON'], alarms), ''] : []),
  ];
}

/** EventBridge rules and Scheduler schedules (docs/events.md), when there are any. */
export function invokerTable(app: App): string[] {
  const invokers = ['Rule', 'Schedule'].flatMap((kind) =>
    app.store.list(kind).map((r) => [
      `${kind.toLowerCase()}/${r.metadata.name}`,
      String(r.spec.ScheduleExpression ?? 'event pattern'),
      String(r.status?.invocations ?? 0),
      String(r.status?.tasksStarted ?? 0),
      String(r.status?.failedInvocations ?? 0),
      String(r.status?.nextInvocationTime ?? ''),
    ]),
  );
  return invokers.length ? [renderTable(['RULE/SCHEDULE', 'SCHEDULE', 'INVOCATIONS', 'TASKS', 'FAILURES', 'NEXT'], invokers), ''] : [];
}
