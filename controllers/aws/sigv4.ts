/**
 * SigV4 `Authorization` headers, parsed and never verified (any credentials work, as with every
 * local AWS emulator): the credential scope gives the region and the signing service.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html
 */
export interface SigV4Scope {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
}

const CREDENTIAL = /Credential=([^/,\s]{1,128})\/(\d{8})\/([a-z0-9-]{1,32})\/([a-z0-9-]{1,64})\/aws4_request/;

/** The credential scope of an `AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/ecs/aws4_request, ...` header. */
export function parseAuthorization(header: string | undefined): SigV4Scope | undefined {
  if (!header || !header.startsWith('AWS4-HMAC-SHA256')) return undefined;
  const m = CREDENTIAL.exec(header.slice(0, 1024));
  return m ? { accessKeyId: m[1], date: m[2], region: m[3], service: m[4] } : undefined;
}
