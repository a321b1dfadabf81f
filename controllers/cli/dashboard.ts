/**
 * The terminal UI of `ecsplane run`, built with ink (React for the terminal; no JSX: createElement):
 * services with their deployments and a progress bar, the tasks that are not running and why (the
 * placement failure reason for a task ECS could not place), instances with their CPU in use, and
 * the latest events, each cut to the terminal's width so it stays one readable line.
 *
 * `dashboardModel` is a pure function of the store's objects; `renderDashboard` lays the model out
 * with ink's `renderToString`. The live view redraws it once a second itself rather than through
 * ink's `render()`: that one prints nothing until exit when `CI` is set (is-in-ci) and would take
 * over stdin, and `run` must look and stop (Ctrl-C) the same everywhere.
 */
import React from 'react';
import { Box, Text, renderToString } from 'ink';
import { clusterOf, type Resource } from '../../api/meta.js';
import { progressBar } from './simulate-output.js';

export interface DashboardEvent {
  t: number;
  line: string;
  warning: boolean;
}

export interface DashboardModel {
  now: number;
  services: Array<{ name: string; desired: number; running: number; pending: number; status: string; deployments: string; rollout: string; progress: string }>;
  tasks: Array<{ id: string; group: string; status: string; where: string; why: string }>;
  moreTasks: number;
  instances: Array<{ name: string; status: string; agent: string; tasks: number; cpuLeft: string; memLeft: string; cpuUsed: string }>;
  events: DashboardEvent[];
}

/** Most rows of the task pane and the event pane (the rest is counted). */
export const MAX_TASK_ROWS = 8;
export const MAX_EVENT_ROWS = 8;

const shortTd = (arn: unknown) => String(arn ?? '').split('/').pop() ?? '';

/** Why a task is where it is, in the words a user needs. */
export function taskReason(t: Resource): string {
  const s = t.status ?? {};
  switch (s.lastStatus) {
    case 'PROVISIONING':
      if (s.failures?.length) return `not placed: ${s.failures[0].reason}${s.failures[0].detail ? ` (${s.failures[0].detail})` : ''}`;
      return s.capacityProviderName ? `waiting for capacity from ${s.capacityProviderName}` : 'waiting to be placed';
    case 'PENDING':
      return 'pulling the image (sim.ecsplane.io/start-delay)';
    case 'ACTIVATING':
      return 'registering load balancer targets';
    case 'DEACTIVATING':
      return 'draining load balancer targets';
    case 'STOPPING':
    case 'DEPROVISIONING':
      return s.stoppedReason ?? s.stopCode ?? 'stopping';
    default:
      return '';
  }
}

/** The reason of a service's latest event when it is "unable to place a task" (ECS's service event). */
export function unplacedReason(svc: Resource): string | undefined {
  const latest = svc.status?.events?.[0]?.message as string | undefined;
  if (!latest || !latest.includes('was unable to place a task')) return undefined;
  const m = /requirements\. (.*?)(?: For more information|$)/.exec(latest);
  return m ? m[1] : 'no container instance met all of its requirements';
}

export function dashboardModel(lists: { services: Resource[]; tasks: Resource[]; instances: Resource[] }, events: DashboardEvent[], now: number): DashboardModel {
  const services = lists.services.map((s) => {
    const st = s.status ?? {};
    const deps: any[] = st.deployments ?? [];
    const primary = deps[0];
    return {
      name: `${clusterOf(s)}/${s.metadata.name}`,
      desired: st.desiredCount ?? s.spec.desiredCount ?? 0,
      running: st.runningCount ?? 0,
      pending: st.pendingCount ?? 0,
      status: st.status ?? '',
      deployments: deps.map((d) => `${d.status} ${shortTd(d.taskDefinition)} ${d.runningCount}/${d.desiredCount} ${d.rolloutState}`).join('; '),
      rollout: primary?.rolloutState ?? '',
      progress: primary ? `${shortTd(primary.taskDefinition)} ${progressBar(primary.runningCount, primary.desiredCount)} ${primary.runningCount}/${primary.desiredCount}` : '',
    };
  });
  const waiting = lists.tasks.filter((t) => t.status?.lastStatus && t.status.lastStatus !== 'RUNNING' && t.status.lastStatus !== 'STOPPED');
  const tasks = [
    ...lists.services.flatMap((s) => {
      const why = unplacedReason(s);
      return why ? [{ id: '—', group: `service:${s.metadata.name}`, status: 'NOT PLACED', where: '', why }] : [];
    }),
    ...waiting.map((t) => ({
      id: t.metadata.name.slice(0, 8),
      group: t.status?.group ?? '',
      status: t.status?.desiredStatus === 'STOPPED' ? `${t.status.lastStatus}→STOPPED` : t.status!.lastStatus!,
      where: t.status?.containerInstance ?? (t.status?.launchType === 'FARGATE' ? 'FARGATE' : ''),
      why: taskReason(t),
    })),
  ];
  const instances = lists.instances.map((i) => {
    const res = (list: string, n: string) => (i.status?.[list] ?? []).find((r: any) => r.name === n)?.integerValue;
    const cpuTotal = res('registeredResources', 'CPU') ?? 0;
    const cpuLeft = res('remainingResources', 'CPU');
    const used = cpuTotal && cpuLeft !== undefined ? cpuTotal - cpuLeft : 0;
    return {
      name: `${clusterOf(i)}/${i.metadata.name}`,
      status: i.status?.status ?? '',
      agent: i.status?.agentConnected === false ? 'disconnected' : 'connected',
      tasks: i.status?.runningTasksCount ?? 0,
      cpuLeft: String(cpuLeft ?? ''),
      memLeft: String(res('remainingResources', 'MEMORY') ?? ''),
      cpuUsed: cpuTotal ? `${progressBar(Math.round((used / cpuTotal) * 8), 8)} ${Math.round((used / cpuTotal) * 100)}%` : '',
    };
  });
  return { now, services, tasks: tasks.slice(0, MAX_TASK_ROWS), moreTasks: Math.max(0, tasks.length - MAX_TASK_ROWS), instances, events: events.slice(-MAX_EVENT_ROWS) };
}

const h = React.createElement;
type Color = string | undefined;

/** Aligned columns, each cell coloured on its own; a row never wraps (cut at the width). */
function table(header: string[], rows: string[][], colorOf: (row: number, col: number) => Color = () => undefined): React.ReactElement {
  const widths = header.map((c, i) => Math.max(c.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[], r: number) =>
    h(
      Text,
      { key: r, wrap: 'truncate-end' },
      ...cells.map((c, i) => h(Text, { key: i, color: r < 0 ? undefined : colorOf(r, i), bold: r < 0 }, (i < cells.length - 1 ? (c ?? '').padEnd(widths[i]) + '   ' : c ?? ''))),
    );
  return h(Box, { flexDirection: 'column' }, line(header, -1), ...rows.map((r, i) => line(r, i)));
}

const ROLLOUT_COLOR: Record<string, Color> = { COMPLETED: 'green', IN_PROGRESS: 'cyan', FAILED: 'red' };
const STATUS_COLOR: Record<string, Color> = { ACTIVE: 'green', DRAINING: 'yellow', INACTIVE: 'gray', DEREGISTERING: 'yellow' };

function section(title: string, body: React.ReactElement | React.ReactElement[]): React.ReactElement {
  return h(Box, { flexDirection: 'column', marginTop: 1 }, h(Text, { dimColor: true }, title), ...(Array.isArray(body) ? body : [body]));
}

function Dashboard({ m }: { m: DashboardModel }): React.ReactElement {
  const svc = m.services;
  const hhmmss = (t: number) => new Date(t).toISOString().slice(11, 19);
  return h(
    Box,
    { flexDirection: 'column' },
    h(Text, { bold: true }, `ecsplane — ${new Date(m.now).toISOString()}  (Ctrl-C to stop)`),
    section(
      'services',
      table(
        ['SERVICE', 'DESIRED', 'RUNNING', 'PENDING', 'STATUS', 'DEPLOYMENTS', 'PROGRESS'],
        svc.map((s) => [s.name, String(s.desired), String(s.running), String(s.pending), s.status, s.deployments, s.progress]),
        (r, c) => (c === 4 ? STATUS_COLOR[svc[r].status] : c === 5 || c === 6 ? ROLLOUT_COLOR[svc[r].rollout] : c === 3 && svc[r].pending ? 'yellow' : undefined),
      ),
    ),
    section(
      m.tasks.length ? 'tasks not running' : 'tasks not running: none',
      m.tasks.length
        ? [
            table(['TASK', 'GROUP', 'STATUS', 'WHERE', 'WHY'], m.tasks.map((t) => [t.id, t.group, t.status, t.where, t.why]), (r, c) => (c === 4 && m.tasks[r].status === 'NOT PLACED' ? 'red' : c === 2 ? 'yellow' : undefined)),
            ...(m.moreTasks ? [h(Text, { key: 'more', dimColor: true }, `… ${m.moreTasks} more`)] : []),
          ]
        : [],
    ),
    section(
      'instances',
      table(
        ['INSTANCE', 'STATUS', 'AGENT', 'TASKS', 'CPU LEFT', 'MEM LEFT', 'CPU USED'],
        m.instances.map((i) => [i.name, i.status, i.agent, String(i.tasks), i.cpuLeft, i.memLeft, i.cpuUsed]),
        (r, c) => (c === 1 ? STATUS_COLOR[m.instances[r].status] : c === 2 && m.instances[r].agent !== 'connected' ? 'red' : undefined),
      ),
    ),
    section('recent', m.events.map((e, i) => h(Text, { key: i, wrap: 'truncate-end', color: e.warning ? 'yellow' : undefined }, `${hhmmss(e.t)}  ${e.line}`))),
  );
}

/** The dashboard as text for a terminal `columns` wide. */
export function renderDashboard(m: DashboardModel, columns: number): string {
  return renderToString(h(Dashboard, { m }), { columns });
}
