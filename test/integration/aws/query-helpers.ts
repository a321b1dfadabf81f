/** Helpers of the Query-protocol and Application Auto Scaling specs: raw form requests and expected failures. */

/** A Query request as the SDKs send it (form POST), signed for `service` unless it is undefined. */
export async function queryPost(url: string, form: Record<string, string>, service?: string) {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' };
  if (service) headers.authorization = `AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=00`;
  const res = await fetch(url, { method: 'POST', headers, body: new URLSearchParams(form).toString() });
  return { status: res.status, type: res.headers.get('content-type'), requestId: res.headers.get('x-amzn-requestid'), body: await res.text() };
}

/** The error a call fails with (the test fails if it succeeds). */
export async function fails(p: Promise<unknown>): Promise<any> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('expected the call to fail');
}

export const testCredentials = { region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 };
