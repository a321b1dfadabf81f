/**
 * The input of the report renderers (`simulate --output html|svg`, and `compare`, which passes
 * one run per variant).
 */
import type { SimulationResult } from '../../simulation/runner.js';

/** One simulation run (a variant) of a report. */
export interface ReportRun {
  /** Label of the run in titles and captions: the file name, or the variant (`maximumPercent=200`). */
  name: string;
  /**
   * What `simulate` returned: samples (counts per service, instances, capacity providers), events
   * (service events, scaling activities), task timelines and `untilSeconds`. Every run of a report
   * is drawn against one time axis running from 0 to the longest run's `untilSeconds`.
   */
  result: SimulationResult;
}

export interface ReportOptions {
  /** Page title (HTML) / chart title (SVG); default "ecsplane simulation". */
  title?: string;
  /** The task Gantt is drawn for runs with at most this many tasks (default 150): beyond that it is unreadable. */
  ganttMaxTasks?: number;
}
