/** Pure scaling math: strategy split, managed scaling, target tracking, step scaling and schedules. */
export * from './common.js';
export * from './strategy-split.js';
export * from './managed-scaling.js';
export * from './target-tracking.js';
export * from './step-scaling.js';
export * from './schedule.js';
export * from '../../api/instance-types.js';
