/**
 * The cloud providers Ferry builds from saved profiles. Every failed request is logged with its
 * request id (never with its signature or keys), so a user can quote it to the service's support.
 */
import type { Logger } from '../core/logger';
import { HttpClient, type HttpEvent } from './http';
import { OssStore } from './oss/oss-store';
import type { StoreFactory } from './registry';
import { S3Store } from './s3/s3-store';

function requestLogger(logger: Logger, profileName: string): (event: HttpEvent) => void {
  return (event) => {
    if (event.phase === 'error') {
      logger.warn(
        `${profileName}: ${event.request.method} failed after ${Math.round(event.ms)} ms: ${event.error.code}: ${event.error.message}`,
        { requestId: event.error.requestId },
      );
    }
  };
}

export function providerFactories(logger: Logger): Record<'oss' | 's3', StoreFactory> {
  return {
    s3: (profile, creds) =>
      new S3Store({
        endpoint: profile.endpoint ?? '',
        region: profile.region ?? 'us-east-1',
        pathStyle: profile.pathStyle,
        credentials: {
          accessKeyId: creds.accessKeyId,
          secretAccessKey: creds.secretAccessKey,
          sessionToken: creds.securityToken,
        },
        observe: requestLogger(logger, profile.name),
      }),
    oss: (profile, creds) =>
      new OssStore({
        endpoint: profile.endpoint ?? '',
        region: profile.region,
        signatureVersion: profile.signatureVersion ?? 'v4',
        pathStyle: profile.pathStyle,
        cname: Boolean(profile.cnameBucket),
        cnameBucket: profile.cnameBucket,
        credentials: {
          accessKeyId: creds.accessKeyId,
          secretAccessKey: creds.secretAccessKey,
          securityToken: creds.securityToken,
        },
        http: new HttpClient({ observe: requestLogger(logger, profile.name) }),
      }),
  };
}
