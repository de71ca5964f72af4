/**
 * Temporary credentials as Alibaba Cloud STS hands them out (docs/PROTOCOL.md §1.4): an AccessKey
 * ID starting with `STS.`, a secret and a security token the request carries (`x-oss-security-token`,
 * or `security-token` / `x-oss-security-token` in a presigned URL). A test issues a set, lets a client
 * work with it, then expires it: from then on OSS answers 403 `SecurityTokenExpired` (or, once the
 * key is gone from its records, `InvalidAccessKeyId`) until the client signs with a new set.
 */
import { randomBytes } from 'node:crypto';
import type { Credentials, SignedRequest } from './oss-auth';
import { OssError } from './oss-errors';

export interface IssuedCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  securityToken: string;
}

type Answer = 'valid' | 'SecurityTokenExpired' | 'InvalidAccessKeyId';

export class TemporaryCredentials {
  private readonly issued = new Map<
    string,
    IssuedCredentials & {
      answer: Answer;
      when?: { test: (req: SignedRequest) => boolean; answer: Exclude<Answer, 'valid'> };
    }
  >();

  constructor(private readonly region: string) {}

  issue(): IssuedCredentials {
    const set = {
      accessKeyId: `STS.${randomBytes(10).toString('hex')}`,
      secretAccessKey: randomBytes(20).toString('base64url'),
      securityToken: `CAIS${randomBytes(48).toString('base64url')}`,
    };
    this.issued.set(set.accessKeyId, { ...set, answer: 'valid' });
    return set;
  }

  /** From now on requests signed with this key are refused with `answer`. */
  expire(accessKeyId: string, answer: Exclude<Answer, 'valid'> = 'SecurityTokenExpired'): void {
    const set = this.issued.get(accessKeyId);
    if (!set) throw new Error(`no temporary credentials ${accessKeyId} were issued`);
    set.answer = answer;
  }

  /** Expires the set when a request signed with it matches `when` (that request is refused already). */
  expireWhen(
    accessKeyId: string,
    when: (req: SignedRequest) => boolean,
    answer: Exclude<Answer, 'valid'> = 'SecurityTokenExpired',
  ): void {
    const set = this.issued.get(accessKeyId);
    if (!set) throw new Error(`no temporary credentials ${accessKeyId} were issued`);
    set.when = { test: when, answer };
  }

  /**
   * The key pair a request signed with temporary credentials must verify against; undefined for a
   * request signed with any other key (the gateway's own pair decides then). Throws OSS's answer
   * for an expired set or a missing or wrong token.
   */
  credentialsFor(req: SignedRequest): Credentials | undefined {
    const keyId = keyIdOf(req);
    const set = keyId ? this.issued.get(keyId) : undefined;
    if (!set) return undefined;
    if (set.when?.test(req)) {
      set.answer = set.when.answer;
      delete set.when;
    }
    if (set.answer === 'InvalidAccessKeyId')
      throw new OssError(
        403,
        'InvalidAccessKeyId',
        'The OSS Access Key Id you provided does not exist in our records.',
        {
          OSSAccessKeyId: set.accessKeyId,
        },
      );
    if (set.answer === 'SecurityTokenExpired')
      throw new OssError(403, 'SecurityTokenExpired', 'The security token you provided has expired.', {
        EC: '0002-00000007',
      });
    const token =
      req.headers['x-oss-security-token'] ?? req.query['security-token'] ?? req.query['x-oss-security-token'];
    if (token !== set.securityToken)
      throw new OssError(403, 'InvalidAccessKeyId', 'The security token you provided is invalid.', {
        EC: '0002-00000004',
      });
    return { accessKeyId: set.accessKeyId, secretAccessKey: set.secretAccessKey, region: this.region };
  }
}

/** The AccessKey ID a request is signed with, wherever its kind of signature carries it. */
function keyIdOf(req: SignedRequest): string | undefined {
  const auth = req.headers.authorization ?? '';
  const v4 = /^OSS4-HMAC-SHA256 .*Credential=([^/,\s]+)\//.exec(auth);
  if (v4) return v4[1];
  const v1 = /^OSS ([^:]+):/.exec(auth);
  if (v1) return v1[1];
  return req.query.OSSAccessKeyId ?? req.query['x-oss-credential']?.split('/')[0];
}
