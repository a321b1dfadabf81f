/**
 * The live status view of `ecsplane run`: in a terminal, a table redrawn every second
 * (services with desired/running/pending and deployments, instances, recent events); when not
 * a TTY, plain lines: every event as it happens and a service line whenever its counts change.
 */
import type { Subscription } from 'rxjs';
import { clusterOf } from '../../api/meta.js';
import type { App } from '../register.js';
import { renderTable } from './table.js';
import { isoTime } from '../shared/time.js';

export class LiveView {
  private timer: NodeJS.Timeout | undefined;
  private sub: Subscription | undefined;
  private readonly notes: string[] = [];
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
      if (!this.tty) this.emit(line);
    });
    this.timer = setInterval(() => (this.tty ? this.redraw() : this.printChanges()), this.tty ? 1000 : 250);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.sub?.unsubscribe();
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
    this.out.write('\x1b[H\x1b[2J' + this.render() + '\n');
  }

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
      'recent:',
      ...this.notes.map((n) => `  ${n}`),
    ].join('\n');
  }
}
