/**
 * examples/aws-cli/events-session.sh with the real `aws` CLI against `ecsplane run`: EventBridge
 * (AWS JSON 1.1) put-rule/put-targets/put-events start a task; the Scheduler (REST-JSON) create/get/delete.
 */
import { expect } from 'chai';
import { awsEnv, requireAwsCli, runBash, startRun, tempHome, type RunningEcsplane } from './aws-cli.js';

describe('AWS CLI: EventBridge and Scheduler session (examples/aws-cli/events-session.sh)', function () {
  let run: RunningEcsplane | undefined;
  let home: ReturnType<typeof tempHome> | undefined;
  afterEach(async () => {
    await run?.stop();
    home?.cleanup();
    run = undefined;
    home = undefined;
  });

  it('the session runs as written: the rule starts one task for the matching upload', async function () {
    requireAwsCli(this);
    this.timeout(120_000);
    run = await startRun([]);
    home = tempHome();
    const { code, out } = await runBash(['examples/aws-cli/events-session.sh'], awsEnv(run.endpoint, home.dir), 100_000);
    expect(code, `${out.slice(-4000)}\n--- ecsplane:\n${run.log().slice(-2000)}`).to.equal(0);
    expect(out).to.include('tasks started by the rule: 1');
    expect(out).to.match(/"name": "KEY",\s+"value": "incoming\/a\.csv"/);
    expect(out).to.include('ENABLED\tAmerica/New_York');
    expect(out).to.include('ValidationException');
    expect(out).to.include('events session: done');
  });
});
