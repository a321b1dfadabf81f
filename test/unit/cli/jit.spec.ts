/** `ecsplane run` tunes V8's tiering for a server (controllers/cli/jit.ts), never over the user's own flags. */
import { expect } from 'chai';
import { SERVER_V8_FLAGS, tuneServerJit, type JitEnvironment } from '../../../controllers/cli/jit.js';

function env(over: Partial<JitEnvironment>): { env: JitEnvironment; set: string[] } {
  const set: string[] = [];
  return { env: { v8Version: '11.3.244.8-node.33', execArgv: [], nodeOptions: '', setFlag: (f) => set.push(f), ...over }, set };
}

describe('server JIT tuning', () => {
  it('sets the interrupt budget and one tick before optimising on the V8 of Node 20 and 22', () => {
    for (const v8Version of ['11.3.244.8-node.33', '12.4.254.21-node.33']) {
      const e = env({ v8Version });
      expect(tuneServerJit(e.env)).to.equal(true);
      expect(e.set).to.deep.equal(SERVER_V8_FLAGS);
    }
    expect(SERVER_V8_FLAGS).to.deep.equal(['--interrupt-budget=16384', '--ticks-before-optimization=1']);
  });

  it('leaves an unknown V8 alone (an unknown flag would print an error)', () => {
    const e = env({ v8Version: '13.6.233.10' });
    expect(tuneServerJit(e.env)).to.equal(false);
    expect(e.set).to.deep.equal([]);
  });

  it("keeps the user's own tiering flags, from the command line or NODE_OPTIONS", () => {
    for (const over of [{ execArgv: ['--interrupt-budget=1000'] }, { nodeOptions: '--max-old-space-size=512 --ticks-before-optimization=5' }, { execArgv: ['--jitless'] }]) {
      const e = env(over);
      expect(tuneServerJit(e.env)).to.equal(false);
      expect(e.set).to.deep.equal([]);
    }
  });
});
