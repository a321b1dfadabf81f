/**
 * Vega-Lite specifications of the report's charts. Every chart of a report takes the same
 * `domain` (minutes) and width, so the runs of a comparison line up on one time axis.
 */
import type { SimulationResult } from '../../simulation/runner.js';
import {
  capacitySeries,
  deploymentBands,
  ganttSegments,
  percentSeries,
  scalingActivities,
  SERVICE_SERIES,
  serviceCounts,
  serviceEvents,
  serviceNames,
  TASK_PHASES,
} from './data.js';

/** A Vega-Lite spec (kept untyped here; vega-lite's compiler validates it). */
export type VlSpec = Record<string, any>;

export const CHART_WIDTH = 640;
const PANEL_HEIGHT = 140;
const TIME_TITLE = 'minutes since start';
const Y_AXIS_WIDTH = 150;
/** Services drawn in the main chart; the rest are named in a note. */
export const MAX_SERVICE_PANELS = 24;

const ACTIVITY_SHAPES: Array<[string, string]> = [
  ['ScalableTarget', 'diamond'],
  ['ScalingPolicy', 'circle'],
  ['ScheduledAction', 'cross'],
  ['CapacityProvider', 'square'],
  ['AutoScalingGroup', 'triangle-down'],
];
const EVENT_CATEGORIES = ['event', 'deployment failed'];
const EVENT_COLOR = '#6a3d9a';
const FAILED_COLOR = '#d62728';
const ROLLOUT_STATES = ['IN_PROGRESS', 'COMPLETED', 'FAILED'];
const ROLLOUT_FILLS = ['#fff3b0', '#d8f0d2', '#f8c9c4'];

const x = (domain: [number, number], field = 'min', title: string | null = TIME_TITLE) => ({
  field,
  type: 'quantitative',
  title,
  scale: { domain, nice: false, zero: false },
});

/** Rows of one service (the run's rows grouped once, not filtered per panel). */
interface ServiceRows {
  counts: ReturnType<typeof serviceCounts>;
  bands: ReturnType<typeof deploymentBands>;
  events: ReturnType<typeof serviceEvents>;
}

function rowsByService(r: SimulationResult): Map<string, ServiceRows> {
  const by = new Map<string, ServiceRows>();
  const of = (service: string) => {
    let rows = by.get(service);
    if (!rows) by.set(service, (rows = { counts: [], bands: [], events: [] }));
    return rows;
  };
  for (const c of serviceCounts(r)) of(c.service).counts.push(c);
  for (const b of deploymentBands(r)) of(b.service).bands.push(b);
  for (const e of serviceEvents(r)) of(e.service!).events.push(e);
  return by;
}

/** Counts of one service with its deployment bands and events (hover an event for its text). */
function servicePanel(service: string, rows: ServiceRows, domain: [number, number]): VlSpec {
  const bands = rows.bands;
  // Failures last, so they are drawn over the events of the same moment.
  const events = [...rows.events.filter((e) => e.category !== 'deployment failed'), ...rows.events.filter((e) => e.category === 'deployment failed')];
  const span = domain[1] - domain[0] || 1;
  return {
    title: { text: `service ${service}`, anchor: 'start', fontSize: 12 },
    width: CHART_WIDTH,
    height: PANEL_HEIGHT,
    // Deployment bands and event markers each fill by their own scale (two legends).
    resolve: { scale: { fill: 'independent' }, legend: { fill: 'independent' } },
    layer: [
      {
        data: { values: bands },
        mark: { type: 'rect', opacity: 0.8 },
        encoding: {
          x: x(domain, 'start'),
          x2: { field: 'end' },
          fill: { field: 'rolloutState', type: 'nominal', title: 'deployment (PRIMARY)', scale: { domain: ROLLOUT_STATES, range: ROLLOUT_FILLS } },
        },
      },
      {
        data: { values: bands.filter((b) => (b.end - b.start) / span > 0.12) },
        mark: { type: 'text', align: 'left', baseline: 'top', dx: 3, fontSize: 9, color: '#555' },
        encoding: { x: x(domain, 'start'), y: { value: 12 }, text: { field: 'label' } },
      },
      {
        data: { values: rows.counts },
        mark: { type: 'line', interpolate: 'step-after', strokeWidth: 1.6 },
        encoding: {
          x: x(domain),
          y: { field: 'value', type: 'quantitative', title: 'tasks', axis: { tickMinStep: 1 } },
          color: { field: 'series', type: 'nominal', title: 'tasks', scale: { domain: [...SERVICE_SERIES], range: ['#555555', '#1f77b4', '#ff7f0e', '#2ca02c'] } },
          strokeDash: { field: 'series', type: 'nominal', scale: { domain: [...SERVICE_SERIES], range: [[5, 3], [1, 0], [1, 0], [2, 2]] }, title: 'tasks' },
        },
      },
      {
        data: { values: events.filter((e) => e.category === 'deployment failed') },
        mark: { type: 'rule', color: FAILED_COLOR, strokeDash: [4, 2], strokeWidth: 1.2 },
        encoding: { x: x(domain) },
      },
      {
        data: { values: events },
        mark: { type: 'point', shape: 'triangle-down', filled: true, size: 60, opacity: 1, aria: true },
        encoding: {
          x: x(domain),
          y: { value: 0 },
          fill: { field: 'category', type: 'nominal', title: 'service events', scale: { domain: EVENT_CATEGORIES, range: [EVENT_COLOR, FAILED_COLOR] }, legend: { symbolType: 'triangle-down' } },
          description: { field: 'text' },
          tooltip: { field: 'text' },
        },
      },
    ],
  };
}

/** Container instances by state and the group size managed scaling asks for. */
function capacityPanel(r: SimulationResult, domain: [number, number]): VlSpec | undefined {
  const rows = capacitySeries(r);
  if (!rows.length) return undefined;
  return {
    title: { text: 'container instances', anchor: 'start', fontSize: 12 },
    width: CHART_WIDTH,
    height: 100,
    data: { values: rows },
    mark: { type: 'line', interpolate: 'step-after', strokeWidth: 1.6 },
    encoding: {
      x: x(domain),
      y: { field: 'value', type: 'quantitative', title: 'instances', axis: { tickMinStep: 1 } },
      color: { field: 'series', type: 'nominal', title: 'instances', scale: { scheme: 'dark2' } },
    },
  };
}

/** Utilisation, CapacityProviderReservation and scaling activities (hover a marker for its cause). */
function scalingPanel(r: SimulationResult, domain: [number, number]): VlSpec | undefined {
  const rows = percentSeries(r);
  const activities = scalingActivities(r);
  if (!rows.length && !activities.length) return undefined;
  // One marker shape per kind of activity, in a fixed order, for the kinds this run has.
  const kinds = ACTIVITY_SHAPES.filter(([k]) => activities.some((a) => a.kind === k));
  return {
    title: { text: 'utilisation, capacity provider reservation and scaling activities', anchor: 'start', fontSize: 12 },
    width: CHART_WIDTH,
    height: 120,
    layer: [
      {
        data: { values: rows },
        mark: { type: 'line', interpolate: 'step-after', strokeWidth: 1.6 },
        encoding: {
          x: x(domain),
          y: { field: 'value', type: 'quantitative', title: '%' },
          color: { field: 'series', type: 'nominal', title: 'percent', scale: { scheme: 'set1' } },
        },
      },
      {
        data: { values: activities },
        mark: { type: 'point', shape: 'diamond', filled: true, size: 60, aria: true },
        encoding: {
          x: x(domain),
          y: { value: 0 },
          shape: { field: 'kind', type: 'nominal', title: 'scaling activity', scale: { domain: kinds.map(([k]) => k), range: kinds.map(([, shape]) => shape) } },
          color: { value: '#333' },
          description: { field: 'text' },
          tooltip: { field: 'text' },
        },
      },
    ],
  };
}

/**
 * The main chart: every service's counts, bands and events, then the instances; with
 * `withScaling` (the standalone SVG) also utilisation, reservation and scaling activities, which
 * the HTML report draws as a figure of their own (so variants of a comparison sit together).
 */
export function mainChartSpec(r: SimulationResult, domain: [number, number], opts: { title?: string; withScaling?: boolean } = {}): VlSpec {
  const title = opts.title;
  const names = serviceNames(r);
  const rows = rowsByService(r);
  const none: ServiceRows = { counts: [], bands: [], events: [] };
  const panels = names.slice(0, MAX_SERVICE_PANELS).map((s) => servicePanel(s, rows.get(s) ?? none, domain));
  if (names.length > MAX_SERVICE_PANELS) {
    // A chart per service stops being readable (and the SVG grows without bound) on a big fleet.
    const rest = names.length - MAX_SERVICE_PANELS;
    panels.push({ ...emptyPanel(domain), title: { text: `… and ${rest} more service${rest === 1 ? '' : 's'} (not drawn; --output csv has every one)`, anchor: 'start', fontSize: 12 } });
  }
  const capacity = capacityPanel(r, domain);
  if (capacity) panels.push(capacity);
  const scaling = opts.withScaling ? scalingPanel(r, domain) : undefined;
  if (scaling) panels.push(scaling);
  return top({ ...(title ? { title: { text: title, anchor: 'start' } } : {}), vconcat: panels.length ? panels : [emptyPanel(domain)],
    // Each panel has its own series (tasks, instances) and legend; the time axis is shared through `domain`.
    resolve: {
      scale: { color: 'independent', fill: 'independent', strokeDash: 'independent', shape: 'independent', y: 'independent' },
      legend: { color: 'independent', fill: 'independent', shape: 'independent' },
    },
  });
}

export function scalingChartSpec(r: SimulationResult, domain: [number, number]): VlSpec | undefined {
  const p = scalingPanel(r, domain);
  return p && top(p);
}

/** PROVISIONING → PENDING → RUNNING → STOPPING per task, coloured by deployment, grouped by instance. */
export function ganttSpec(r: SimulationResult, domain: [number, number]): VlSpec | undefined {
  const segments = ganttSegments(r);
  if (!segments.length) return undefined;
  const rows = new Set(segments.map((s) => s.row)).size;
  return top({
    width: CHART_WIDTH,
    height: Math.max(40, rows * 12),
    data: { values: segments },
    mark: { type: 'bar', aria: true },
    encoding: {
      x: x(domain, 'start'),
      x2: { field: 'end' },
      y: { field: 'row', type: 'ordinal', sort: null, title: 'instance · task', axis: { labelFontSize: 8 } },
      color: { field: 'deployment', type: 'nominal', title: 'deployment', scale: { scheme: 'tableau10' } },
      opacity: { field: 'phase', type: 'ordinal', title: 'phase', scale: { type: 'ordinal', domain: [...TASK_PHASES], range: [0.25, 0.5, 1, 0.6] } },
      description: { field: 'text' },
      tooltip: { field: 'text' },
    },
  });
}

function emptyPanel(domain: [number, number]): VlSpec {
  return { width: CHART_WIDTH, height: 10, data: { values: [] }, mark: 'point', encoding: { x: x(domain, 'min', null) }, title: 'no services' };
}

/** Common configuration: no accessibility labels except on marks that carry hover text. */
function top(spec: VlSpec): VlSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    background: 'white',
    config: {
      aria: false,
      font: 'sans-serif',
      legend: { orient: 'right', labelLimit: 280 },
      axis: { labelFontSize: 10, titleFontSize: 10 },
      // A fixed y-axis width puts every plot's x = 0 at the same place, so charts stacked on the page line up.
      axisY: { minExtent: Y_AXIS_WIDTH, maxExtent: Y_AXIS_WIDTH, labelLimit: Y_AXIS_WIDTH - 20 },
    },
    ...spec,
  };
}
