/**
 * The three rxjs classes ecsplane uses, from their own modules: `import … from 'rxjs'` loads rxjs's
 * CommonJS index, which requires all ~220 of its operator modules (~0.12 s of every start-up, a
 * quarter of a `simulate` of an example — issue #16). Same module instances as the index's exports.
 */
export { Observable } from 'rxjs/internal/Observable';
export { Subject } from 'rxjs/internal/Subject';
export { config } from 'rxjs/internal/config';
