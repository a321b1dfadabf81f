#!/usr/bin/env node
/** `ecsplane`: run, apply, get, delete, simulate. */
import 'reflect-metadata';
import { config as rxConfig } from '../../store/rx.js';
import { randomBytes } from 'node:crypto';
import { Command, Option } from 'commander';
import { stringify } from 'yaml';
import { parseDuration } from '../../api/duration.js';
import { CLUSTER_SCOPED_KINDS, clusterOf, type Resource } from '../../api/meta.js';
import { simulate } from '../simulation/runner.js';
import { stateRequest } from './client.js';
import type { ApplyOutcome } from './control.js';
import { errorText } from './errors.js';
import { keyFor, resolveKind } from './kinds.js';
import { loadManifests } from './manifests.js';
import { runCommand } from './run.js';
import { dryRunApply, verdictLines } from './validate.js';
import { renderTimeline } from './simulate-output.js';
import { getTable } from './table.js';

// A throwing rxjs subscriber must not crash the process from a timer (engineering notes B.5).
rxConfig.onUnhandledError = (err) => process.stderr.write(`ecsplane: unhandled error in a subscriber: ${err}\n`);

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
  .action(async (opts) => {
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
  .argument('<file...>', 'manifests, optionally with one Scenario document')
  .option('--until <duration>', 'virtual time to run (default: the Scenario\'s, else 30m)')
  .option('--seed <n>', 'random seed (placement, ids)', (v) => Number(v))
  .option('--sample-every <duration>', 'sampling period (default: the Scenario\'s, else 10s)')
  .addOption(new Option('--output <format>', 'output format').choices(['json', 'table']).default('table'))
  .action((files: string[], opts) => {
    const docs = loadManifests(files);
    const result = simulate(docs, {
      untilMs: opts.until ? parseDuration(opts.until, '--until') : undefined,
      seed: opts.seed,
      sampleEveryMs: opts.sampleEvery ? parseDuration(opts.sampleEvery, '--sample-every') : undefined,
    });
    process.stdout.write(opts.output === 'json' ? JSON.stringify(result, null, 2) + '\n' : renderTimeline(result));
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
pass the files that define it too. Fields ECS acts on that ecsplane does not simulate are printed as
"warning: NotSimulated" lines; they do not make a manifest invalid. Exit status 1 when any object is invalid.`,
  )
  .action((files: string[]) => {
    let bad = 0;
    for (const v of dryRunApply(loadManifests(files))) {
      if (v.error !== undefined) bad++;
      process.stdout.write(verdictLines(v).join('\n') + '\n');
    }
    if (bad) process.exitCode = 1;
  });

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
