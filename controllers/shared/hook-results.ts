/**
 * What deployment lifecycle hooks answer (the Lambda function's hookStatus): ecsplane invokes no
 * function; a scenario's `hook` step (or a test) sets the answer per hook ARN. A hook nobody set
 * answers SUCCEEDED. A small seam like alarm-states.ts.
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-lifecycle-hooks.html
 */
export const HOOK_STATUSES = ['SUCCEEDED', 'FAILED', 'IN_PROGRESS'] as const;
export type HookAnswer = (typeof HOOK_STATUSES)[number];

export interface HookResultSource {
  resultOf(hookTargetArn: string): HookAnswer;
}

export class HookResultStore implements HookResultSource {
  private readonly results = new Map<string, HookAnswer>();

  set(hookTargetArn: string, status: HookAnswer): void {
    this.results.set(hookTargetArn, status);
  }

  resultOf(hookTargetArn: string): HookAnswer {
    return this.results.get(hookTargetArn) ?? 'SUCCEEDED';
  }
}
