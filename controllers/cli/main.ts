#!/usr/bin/env node
/** `ecsplane`: run, apply, get, delete, simulate. */
import '../runtime/reflect.js';
import { config as rxConfig } from '../../store/rx.js';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { createRequire } from 'node:module';
import type * as Commander from 'commander';
import { stringify } from './yaml.js';
import { parseDuration } from '../../api/duration.js';
import { CLUSTER_SCOPED_KINDS, clusterOf, type Resource } from '../../api/meta.js';
import { simulate, type SimulationResult } from '../simulation/runner.js';
import type { ApplyOutcome, ControlRequest } from './control.js';
import { errorText } from './errors.js';
import { keyFor, resolveKind } from './kinds.js';
import { loadManifests } from './manifests.js';
import { DEFAULT_LEASE_NAME, DEFAULT_METRICS_ADDRESS, DEFAULT_PROBE_ADDRESS } from './run-defaults.js';
import { LOG_FORMATS, LOG_LEVELS } from '../runtime/logger.js';
import { renderTimeline } from './simulate-output.js';
import { loadPricing, runCompare } from './compare.js';
import { loadRunDocs } from './variants.js';
import { getTable } from './table.js';

// commander is required rather than imported: its ES module entry wraps the CommonJS one, which Node then
// reads twice (once to scan it for export names): ~4 ms of every start-up.
const { Command, InvalidArgumentError, Option } = createRequire(import.meta.url)('commander') as typeof Commander;

// Each command imports what only it uses when it runs (the state-file client and its lock, run's UI and
// endpoints, ...): every module loaded here is start-up time of every command, `simulate` included (#16).

/** The state-file client (the control socket, the lock, lowdb): apply, get, delete, run-task, stop-task. */
async function stateRequest(state: string | undefined, req: ControlRequest): Promise<unknown> {
  return (await import('./client.js')).stateRequest(state, req);
}

// A throwing rxjs subscriber must not crash the process from a timer (engineering notes B.5).
rxConfig.onUnhandledError = (err) => process.stderr.write(`ecsplane: unhandled error in a subscriber: ${err}\n`);

/** `--seed N`: a non-negative integer (a typo must not silently become NaN). */
function seedOption(v: string): number {
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 0) throw new InvalidArgumentError('a non-negative integer is expected');
  return n;
}

const program = new Command();
program.name('ecsplane').description('A local Amazon ECS control plane: ECS scheduling, deployments and scaling, simulated.').version('0.1.0');

program
  .command('run')
  .description('run the control plane on the real clock (the embedded default; no Kubernetes needed)')
  .option('-f, --file <path...>', 'manifest files or directories (YAML or JSON)', [])
  .option('--state <path>', 'persist to this state file (restored on restart)')
  .option('--kubeconfig <path>', 'mirror resources into this Kubernetes cluster as ecsplane.io custom resources ("in-cluster" inside a pod)')
  .option('--namespace <ns>', 'Kubernetes namespace for the bridge (default: default)')
  .option('--for <duration>', 'stop after this long (e.g. 30s)')
  .option('--until-steady', 'exit once every service has reached a steady state')
  .option('--no-watch', 'do not re-apply when a manifest file changes')
  .option('--api-addr <host:port>', 'serve the AWS API (ECS, AWS JSON 1.1) here; port 0 picks a free one', '127.0.0.1:4566')
  .option('--no-api', 'do not serve the AWS API')
  .option('--api-allow-remote', 'allow --api-addr on a non-loopback address (the API has no authentication)')
  .option('--account-id <id>', 'AWS account id in every ARN (default 123456789012)')
  .option('--time-scale <n>', 'virtual time runs N times faster than real (e.g. 60: a minute of health checks in a second)')
  .addOption(new Option('--clock <mode>', 'manual: time moves only through POST /_ecsplane/clock on the AWS API (for tests)').choices(['real', 'manual']))
  .option('--metrics-bind-address <addr>', `serve Prometheus metrics on HOST:PORT/metrics (:PORT = every interface, 0 = off)`, DEFAULT_METRICS_ADDRESS)
  .option('--health-probe-bind-address <addr>', `serve /healthz and /readyz on HOST:PORT (0 = off; default ${DEFAULT_PROBE_ADDRESS})`)
  .addOption(new Option('--log-format <format>', 'log lines as text or JSON (one object per line)').choices([...LOG_FORMATS]).default('text'))
  .addOption(new Option('--log-level <level>', 'least important log level written (default: $ECSPLANE_LOG_LEVEL, else info)').choices([...LOG_LEVELS]))
  .option('--leader-elect', 'with --kubeconfig: run the loops only while holding a coordination.k8s.io Lease (several replicas, one active)')
  .option('--leader-elect-lease-duration <duration>', 'how long a standby waits after the last renewal it saw before taking the lease (default 15s)')
  .option('--leader-elect-renew-deadline <duration>', 'how long the leader keeps trying to renew before it gives up and exits (default 10s)')
  .option('--leader-elect-retry-period <duration>', 'how often candidates try to acquire and the leader renews (default 2s)')
  .option('--leader-elect-resource-name <name>', `name of the Lease in the bridge's namespace (default ${DEFAULT_LEASE_NAME})`)
  .action(async (opts) => {
    // Loaded only for `run`: its terminal UI (ink, react), the AWS API and the endpoints are not start-up cost of the other commands.
    const { runCommand } = await import('./run.js');
    process.exitCode = await runCommand({ ...opts, file: opts.file });
  });

program
  .command('apply')
  .description('create or update resources in a state file (through `run` when it holds the file)')
  .requiredOption('-f, --file <path...>', 'manifest files or directories')
  .option('--state <path>', 'state file')
  .action(async (opts) => {
    const docs = loadManifests(opts.file);
    const results = (await stateRequest(opts.state, { op: 'apply', resources: docs })) as ApplyOutcome[];
    for (const r of results) {
      const id = `${r.kind.toLowerCase()}/${r.name}`;
      if ('error' in r) {
        process.stderr.write(`${id}: ${r.error.type}: ${r.error.message}\n`);
        process.exitCode = 1;
      } else process.stdout.write(`${id} ${r.action}\n`);
    }
  });

program
  .command('get')
  .description('list or show resources from a state file')
  .argument('<kind>', 'kind: cluster, service, task, containerinstance, taskdefinition, ...')
  .argument('[name]', 'name (cluster/name or --cluster for cluster-scoped kinds)')
  .option('--state <path>', 'state file')
  .option('--cluster <name>', 'ECS cluster of the resource', 'default')
  .addOption(new Option('-o, --output <format>', 'output format').choices(['table', 'wide', 'yaml', 'json']).default('table'))
  .action(async (kindArg: string, name: string | undefined, opts) => {
    const kind = resolveKind(kindArg);
    const res = await stateRequest(opts.state, name ? { op: 'get', kind, key: keyFor(kind, name, opts.cluster) } : { op: 'get', kind });
    if (name && res === null) throw new Error(await notFoundMessage(opts.state, kind, name, opts.cluster));
    const list = (Array.isArray(res) ? res : [res]) as Resource[];
    if (opts.output === 'json') process.stdout.write(JSON.stringify(name ? res : { apiVersion: 'v1', kind: 'List', items: list }, null, 2) + '\n');
    else if (opts.output === 'yaml') process.stdout.write(stringify(name ? res : { apiVersion: 'v1', kind: 'List', items: list }));
    else process.stdout.write(getTable(kind, list, Date.now(), opts.output === 'wide') + '\n');
  });

program
  .command('delete')
  .description('delete a resource from a state file')
  .argument('<kind>')
  .argument('<name>')
  .option('--state <path>', 'state file')
  .option('--cluster <name>', 'ECS cluster of the resource', 'default')
  .option('--force', 'DeleteService / DeregisterContainerInstance force')
  .action(async (kindArg: string, name: string, opts) => {
    const kind = resolveKind(kindArg);
    await stateRequest(opts.state, { op: 'delete', kind, key: keyFor(kind, name, opts.cluster), force: opts.force });
    process.stdout.write(`${kind.toLowerCase()}/${name} deleted\n`);
  });

program
  .command('run-task')
  .description('RunTask: start standalone tasks (count ≤ 10) from a task definition')
  .requiredOption('--task-definition <family[:revision]>', 'task definition')
  .option('--cluster <name>', 'cluster', 'default')
  .option('--count <n>', 'number of tasks (1-10)', (v) => Number(v), 1)
  .option('--launch-type <type>', 'EC2 | FARGATE')
  .option('--group <group>', 'task group (default family:<family>)')
  .option('--started-by <text>', 'startedBy')
  .option('--state <path>', 'state file')
  .action(async (opts) => {
    const name = randomBytes(16).toString('hex');
    const task = {
      apiVersion: 'ecsplane.io/v1alpha1',
      kind: 'Task',
      metadata: { name },
      spec: {
        cluster: opts.cluster,
        taskDefinition: opts.taskDefinition,
        ...(opts.count > 1 ? { count: opts.count } : {}),
        ...(opts.launchType ? { launchType: opts.launchType } : {}),
        ...(opts.group ? { group: opts.group } : {}),
        ...(opts.startedBy ? { startedBy: opts.startedBy } : {}),
      },
    };
    await stateRequest(opts.state, { op: 'apply', resources: [task as Resource] });
    const ids = [name, ...Array.from({ length: opts.count - 1 }, (_, i) => `${name}-${i + 2}`)];
    process.stdout.write(ids.map((id) => `task/${id} requested (see: ecsplane get task ${id} --cluster ${opts.cluster} --state ...)`).join('\n') + '\n');
  });

program
  .command('stop-task')
  .description('StopTask: stop a task (stopCode UserInitiated)')
  .argument('<task>', 'task id')
  .option('--cluster <name>', 'cluster', 'default')
  .option('--reason <text>', 'stoppedReason', 'Task stopped by user')
  .option('--state <path>', 'state file')
  .action(async (task: string, opts) => {
    await stateRequest(opts.state, { op: 'stopTask', key: keyFor('Task', task, opts.cluster), reason: opts.reason });
    process.stdout.write(`task/${task} stopping\n`);
  });

program
  .command('simulate')
  .description('run every loop on a virtual clock (no waiting; same inputs and seed give identical output)')
  .argument('<file...>', 'manifests, optionally with one Scenario document (or a Variant file, see compare)')
  .option('--until <duration>', 'virtual time to run (default: the Scenario\'s, else 30m)')
  .option('--seed <n>', 'random seed (placement, ids)', seedOption)
  .option('--sample-every <duration>', 'sampling period (default: the Scenario\'s, else 10s)')
  .option('--pricing <file>', 'prices (JSON or YAML) laid over the shipped us-east-1 list for the cost figures')
  .option('--every', 'table: print every sample, not only the ones where something changed')
  .addOption(new Option('--output <format>', 'output format: html = one self-contained report, svg = the main chart, csv = the samples').choices(['json', 'table', 'html', 'svg', 'csv']).default('table'))
  .option('--out <file>', 'write the output to this file instead of stdout')
  .action(async (files: string[], opts) => {
    const docs = loadRunDocs(files);
    const result = simulate(docs, {
      untilMs: opts.until ? parseDuration(opts.until, '--until') : undefined,
      seed: opts.seed,
      sampleEveryMs: opts.sampleEvery ? parseDuration(opts.sampleEvery, '--sample-every') : undefined,
      pricing: loadPricing(opts.pricing),
    });
    const text = await simulateOutput(opts.output, files.map((f) => basename(f)).join(' '), result, { every: Boolean(opts.every) });
    if (opts.out) writeFileSync(opts.out, text);
    else process.stdout.write(text);
  });

program
  .command('compare')
  .description('simulate each variant with the same seed and length, and print one table of what differs (deployment, health, capacity, failures, cost)')
  .argument('<variant...>', 'a variant per file or directory (or a file with a Variant document: base manifests plus changes)')
  .option('--set <override>', 'KIND/NAME.FIELD.PATH=V1,V2,...: make a variant per value (repeatable; several --set: every combination)', (v: string, prev: string[]) => [...prev, v], [] as string[])
  .option('--pairwise', 'several --set: the first values together, then the second, ... instead of every combination')
  .option('--names <list>', 'comma-separated column names for the variants, in order', (v) => v.split(',').map((x) => x.trim()))
  .option('--until <duration>', 'virtual time to run each variant (default: the longest Scenario until, else 30m)')
  .option('--seed <n>', 'random seed for every variant (default: the first Scenario seed, else 1)', seedOption)
  .option('--sample-every <duration>', 'sampling period')
  .option('--pricing <file>', 'prices (JSON or YAML) laid over the shipped us-east-1 list')
  .addOption(new Option('--output <format>', 'output format').choices(['table', 'json', 'html']).default('table'))
  .addHelpText(
    'after',
    `
Variants: each argument is one (its name: the file or directory name, or the Variant document's).
A Variant document names base manifests and what to change, so a variant file stays small:

  apiVersion: ecsplane.io/v1alpha1
  kind: Variant
  metadata: {name: web-100-200}
  spec:
    base: [../quickstart]                       # relative to this file
    remove: [{kind: ContainerInstance, name: i-a}]
    set: ["Service/web-app.deploymentConfiguration.maximumPercent=200"]
  ---
  <any document: replaces the base's document of the same kind and name, else is added>

--set KIND/NAME.PATH=V1,V2 (or =[V1, V2] when a value holds a comma) makes one variant per value
of the named object's field; the path is under spec unless it starts with metadata. (KIND/CLUSTER/NAME
when the name is in several clusters). Several --set make every combination; --pairwise pairs them.`,
  )
  .action(async (variants: string[], opts) => {
    process.stdout.write(
      await runCompare(variants, {
        set: opts.set,
        pairwise: opts.pairwise,
        names: opts.names,
        untilMs: opts.until ? parseDuration(opts.until, '--until') : undefined,
        seed: opts.seed,
        sampleEveryMs: opts.sampleEvery ? parseDuration(opts.sampleEvery, '--sample-every') : undefined,
        pricing: opts.pricing,
        output: opts.output,
      }),
    );
  });

program
  .command('validate')
  .description("dry-run apply: check manifests with ECS's rules and admission, as `apply` would, without touching any state")
  .argument('<file...>', 'manifest files or directories')
  .addHelpText(
    'after',
    `
Each object goes through exactly what \`apply\` does (validation, then the admission checks against
the objects applied before it) into an empty scratch store, so the verdict is apply's. The files are
checked on their own: a reference to an object that is not in them (a Service's cluster or task
definition, a cluster's capacity provider, ...) is an error, as when applying them to an empty state;
pass the files that define it too. A Variant file (see compare) is checked as the manifests it makes. Fields ECS acts on that ecsplane does not simulate are printed as
"warning: NotSimulated" lines; they do not make a manifest invalid. Exit status 1 when any object is invalid.`,
  )
  .action(async (files: string[]) => {
    const { dryRunApply, verdictLines } = await import('./validate.js');
    let bad = 0;
    for (const v of dryRunApply(loadRunDocs(files))) {
      if (v.error !== undefined) bad++;
      process.stdout.write(verdictLines(v).join('\n') + '\n');
    }
    if (bad) process.exitCode = 1;
  });

async function simulateOutput(format: string, name: string, result: SimulationResult, opts: { every: boolean }): Promise<string> {
  switch (format) {
    case 'json':
      return JSON.stringify(result, null, 2) + '\n';
    case 'csv':
      return (await import('./report/csv.js')).renderCsv(result);
    case 'html':
    case 'svg': {
      // Vega loads only for charts (it adds a few hundred ms to start-up).
      const report = await import('./report/index.js');
      const run = { name, result };
      return format === 'html' ? report.renderHtmlReport([run], { title: `ecsplane simulate ${name}` }) : (await report.renderMainChartSvg(run)) + '\n';
    }
    default:
      return renderTimeline(result, opts);
  }
}

/** `service web-app not found in cluster "default"`, and where objects of that name are. */
async function notFoundMessage(state: string, kind: string, name: string, cluster: string): Promise<string> {
  if (!CLUSTER_SCOPED_KINDS.has(kind) || name.includes('/')) return `${kind.toLowerCase()} ${name} not found`;
  const all = (await stateRequest(state, { op: 'get', kind })) as Resource[];
  const elsewhere = all.filter((o) => o.metadata.name === name).map((o) => clusterOf(o));
  const hint = elsewhere.length ? ` (it exists in cluster ${elsewhere.map((c) => `"${c}"`).join(', ')}: pass --cluster ${elsewhere[0]})` : '';
  return `${kind.toLowerCase()} ${name} not found in cluster "${cluster}"${hint}`;
}

program.parseAsync(process.argv).catch((err: Error) => {
  process.stderr.write(`ecsplane: ${errorText(err)}\n`);
  process.exitCode = 1;
});
