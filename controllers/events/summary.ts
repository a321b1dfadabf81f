/** One concise line per bus event, for the simulate timeline and the live view. */

/** `1f0d90c5…` or `1f0d90c5…-2` (RunTask siblings). */
function shortId(id: string): string {
  const dash = id.indexOf('-');
  const base = dash < 0 ? id : id.slice(0, dash);
  return base.length > 12 ? `${base.slice(0, 8)}…${dash < 0 ? '' : id.slice(dash)}` : id;
}

export function busEventLine(event: unknown): string {
  const e = (event ?? {}) as { source?: string; 'detail-type'?: string; detail?: any; resources?: string[] };
  const d = e.detail ?? {};
  const last = (arn: unknown) => (typeof arn === 'string' ? arn.slice(arn.lastIndexOf('/') + 1) : '');
  let what = '';
  switch (e['detail-type']) {
    case 'ECS Task State Change':
      what = `${shortId(last(d.taskArn))} ${d.lastStatus}${d.desiredStatus !== d.lastStatus ? `→${d.desiredStatus}` : ''}${d.startedBy ? ` startedBy=${d.startedBy}` : ''}${d.stopCode ? ` ${d.stopCode}` : ''}`;
      break;
    case 'ECS Container Instance State Change':
      what = `${last(d.containerInstanceArn)} ${d.status}${d.agentConnected === false ? ' agent disconnected' : ''}`;
      break;
    case 'ECS Service Action':
    case 'ECS Deployment State Change':
      what = `${last(e.resources?.[0])} ${d.eventName}${d.reason ? ` (${String(d.reason).slice(0, 60)})` : ''}`;
      break;
    case 'Object Created':
    case 'Object Deleted':
      what = `s3://${d.bucket?.name ?? '?'}/${d.object?.key ?? '?'}`;
      break;
    default:
      what = JSON.stringify(d).slice(0, 80);
  }
  return `${e.source} "${e['detail-type']}" ${what}`;
}
