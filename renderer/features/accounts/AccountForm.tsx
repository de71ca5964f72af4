/**
 * Add or edit an account. Endpoints come from the OSS region list or an S3-compatible preset. The
 * access key ID is not secret and stays visible; the secret is typed once and never shown again (the
 * contract never returns it), and a new secret alone keeps the key ID. Save tries the connection
 * first, so a wrong secret is not saved without a word ("Save anyway" for an account offline now).
 */
import { useState, type FormEvent } from 'react';
import type { Profile, ProfileInput } from '../../../preload/shared/contract';
import { call, errorInfo } from '../../api';
import { useT } from '../../i18n';
import { useAccounts } from '../../stores/accounts';
import { useLanguage } from '../../stores/settings';
import { useUi } from '../../stores/ui';
import { ErrorMessage } from '../ErrorMessage';
import { Modal } from '../Modal';
import {
  AWS_REGIONS,
  awsEndpoint,
  detectOssEndpointKind,
  detectS3Preset,
  OSS_REGION_NAMES,
  OSS_REGIONS,
  ossEndpoint,
  r2Endpoint,
  type OssEndpointKind,
  type S3Preset,
} from './presets';

type Provider = 'oss' | 's3';

function r2AccountOf(endpoint: string | undefined): string {
  return endpoint?.match(/^https:\/\/([^.]+)\.r2\.cloudflarestorage\.com/)?.[1] ?? '';
}

export function AccountForm({ profile }: { profile?: Profile }) {
  const t = useT();
  const language = useLanguage();
  const close = useUi((s) => s.closeDialog);
  const editing = Boolean(profile);
  const [name, setName] = useState(profile?.name ?? '');
  const [provider, setProvider] = useState<Provider>(profile?.provider === 's3' ? 's3' : 'oss');
  const [ossRegion, setOssRegion] = useState(
    profile?.provider === 'oss' ? (profile.region ?? 'cn-hangzhou') : 'cn-hangzhou',
  );
  const [ossKind, setOssKind] = useState<OssEndpointKind | 'custom' | 'cname'>(
    profile?.provider === 'oss'
      ? profile.cnameBucket
        ? 'cname'
        : detectOssEndpointKind(profile.endpoint)
      : 'public',
  );
  const [cnameBucket, setCnameBucket] = useState(profile?.cnameBucket ?? '');
  const [signatureVersion, setSignatureVersion] = useState<'v1' | 'v4'>(profile?.signatureVersion ?? 'v4');
  const [preset, setPreset] = useState<S3Preset>(
    profile?.provider === 's3' ? detectS3Preset(profile.endpoint) : 'aws',
  );
  const [awsRegion, setAwsRegion] = useState(
    profile?.provider === 's3' && preset === 'aws' ? (profile.region ?? 'us-east-1') : 'us-east-1',
  );
  const [r2Account, setR2Account] = useState(r2AccountOf(profile?.endpoint));
  const [customEndpoint, setCustomEndpoint] = useState(profile?.endpoint ?? '');
  const [customRegion, setCustomRegion] = useState(profile?.region ?? 'us-east-1');
  const [pathStyle, setPathStyle] = useState(profile?.pathStyle ?? true);
  const [readOnly, setReadOnly] = useState(profile?.readOnly ?? false);
  const [accessKeyId, setAccessKeyId] = useState(profile?.accessKeyId ?? '');
  const [secret, setSecret] = useState('');
  const [sessionToken, setSessionToken] = useState('');
  const [startPath, setStartPath] = useState(profile?.startPath ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ReturnType<typeof errorInfo> | null>(null);
  const [test, setTest] = useState<TestState>({ status: 'idle' });
  const keyIdChanged = accessKeyId.trim() !== (profile?.accessKeyId ?? '');

  let endpoint: string;
  let region: string;
  let usePathStyle: boolean | undefined;
  if (provider === 'oss') {
    endpoint = ossKind === 'custom' || ossKind === 'cname' ? customEndpoint : ossEndpoint(ossRegion, ossKind);
    region = ossRegion;
  } else if (preset === 'aws') {
    endpoint = awsEndpoint(awsRegion);
    region = awsRegion;
    usePathStyle = false;
  } else if (preset === 'r2') {
    endpoint = r2Account ? r2Endpoint(r2Account) : '';
    region = 'auto';
    usePathStyle = true;
  } else {
    endpoint = customEndpoint;
    region = customRegion;
    usePathStyle = pathStyle;
  }

  const input = (): ProfileInput => ({
    id: profile?.id,
    name: name.trim(),
    provider,
    endpoint: endpoint.trim(),
    region: region.trim(),
    readOnly,
    startPath: startPath.trim().replace(/^\/+/, ''),
    ...(provider === 'oss'
      ? { signatureVersion, ...(ossKind === 'cname' ? { cnameBucket: cnameBucket.trim() } : {}) }
      : { pathStyle: usePathStyle }),
    // The key ID goes along when it changed or comes with a new secret; a secret alone keeps the saved one.
    ...(secret || keyIdChanged ? { accessKeyId: accessKeyId.trim() || undefined } : {}),
    ...(secret ? { secretAccessKey: secret } : {}),
    ...(sessionToken ? { securityToken: sessionToken } : {}),
  });

  const runTest = async (): Promise<boolean> => {
    setTest({ status: 'testing' });
    setError(null);
    try {
      const result = await call('profiles.testDraft', input());
      setTest(result.ok ? { status: 'ok', message: result.message } : { status: 'failed', ...result });
      return result.ok;
    } catch (err) {
      // Refused before any request (a missing field, a name in use): said like any other error.
      setTest({ status: 'idle' });
      setError(errorInfo(err));
      return false;
    }
  };

  const save = async () => {
    setBusy(true);
    try {
      await useAccounts.getState().save(input());
      close();
    } catch (err) {
      setError(errorInfo(err));
      setBusy(false);
    }
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    const ok = await runTest();
    setBusy(false);
    if (ok) await save();
  };

  const showCustomEndpoint =
    (provider === 'oss' && (ossKind === 'custom' || ossKind === 'cname')) ||
    (provider === 's3' && preset === 'custom');

  return (
    <Modal
      title={editing ? t('account.editTitle', { name: profile!.name }) : t('account.addTitle')}
      onClose={close}
    >
      <form className="form" onSubmit={(e) => void submit(e)}>
        <label>
          {t('account.name')}
          <input required maxLength={128} value={name} onChange={(e) => setName(e.target.value)} />
        </label>
        <label>
          {t('account.provider')}
          <select
            value={provider}
            onChange={(e) => setProvider(e.target.value as Provider)}
            disabled={editing}
          >
            <option value="oss">{t('provider.oss')}</option>
            <option value="s3">{t('provider.s3')}</option>
          </select>
        </label>

        {provider === 'oss' ? (
          <>
            <label>
              {t('account.region')}
              <select value={ossRegion} onChange={(e) => setOssRegion(e.target.value)}>
                {OSS_REGIONS.map((r) => (
                  <option key={r} value={r}>
                    {`${OSS_REGION_NAMES[r][language]} · ${r}`}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t('account.endpointKind')}
              <select
                value={ossKind}
                onChange={(e) => setOssKind(e.target.value as OssEndpointKind | 'custom' | 'cname')}
              >
                <option value="public">{t('account.endpoint.public')}</option>
                <option value="internal">{t('account.endpoint.internal')}</option>
                <option value="accelerate">{t('account.endpoint.accelerate')}</option>
                <option value="cname">{t('account.endpoint.cname')}</option>
                <option value="custom">{t('account.endpoint.custom')}</option>
              </select>
            </label>
            {ossKind === 'cname' ? (
              <>
                <label>
                  {t('account.cnameBucket')}
                  <input
                    required
                    spellCheck={false}
                    pattern="[a-z0-9][a-z0-9\-]{1,61}[a-z0-9]"
                    aria-describedby="account-cname-hint"
                    value={cnameBucket}
                    onChange={(e) => setCnameBucket(e.target.value)}
                  />
                </label>
                <p id="account-cname-hint" className="muted">
                  {t('account.cnameHint')}
                </p>
              </>
            ) : null}
            <label>
              {t('account.signature')}
              <select
                value={signatureVersion}
                onChange={(e) => setSignatureVersion(e.target.value as 'v1' | 'v4')}
              >
                <option value="v4">V4</option>
                <option value="v1">V1</option>
              </select>
            </label>
          </>
        ) : (
          <>
            <label>
              {t('account.preset')}
              <select value={preset} onChange={(e) => setPreset(e.target.value as S3Preset)}>
                <option value="aws">{t('preset.aws')}</option>
                <option value="r2">{t('preset.r2')}</option>
                <option value="custom">{t('preset.custom')}</option>
              </select>
            </label>
            {preset === 'aws' ? (
              <label>
                {t('account.region')}
                <select value={awsRegion} onChange={(e) => setAwsRegion(e.target.value)}>
                  {AWS_REGIONS.map((r) => (
                    <option key={r} value={r}>
                      {r}
                    </option>
                  ))}
                </select>
              </label>
            ) : null}
            {preset === 'r2' ? (
              <label>
                {t('account.r2Account')}
                <input
                  required
                  pattern="[A-Za-z0-9]+"
                  value={r2Account}
                  onChange={(e) => setR2Account(e.target.value)}
                />
              </label>
            ) : null}
            {preset === 'custom' ? (
              <>
                <label>
                  {t('account.region')}
                  <input required value={customRegion} onChange={(e) => setCustomRegion(e.target.value)} />
                </label>
                <label className="check">
                  <input
                    type="checkbox"
                    checked={pathStyle}
                    onChange={(e) => setPathStyle(e.target.checked)}
                  />
                  {t('account.pathStyle')}
                </label>
              </>
            ) : null}
          </>
        )}

        {showCustomEndpoint ? (
          <label>
            {t('account.endpoint')}
            <input
              required
              type="url"
              placeholder="https://"
              value={customEndpoint}
              onChange={(e) => setCustomEndpoint(e.target.value)}
            />
          </label>
        ) : (
          <p className="computed">
            {t('account.endpoint')}: <output>{endpoint || '—'}</output>
          </p>
        )}

        <label>
          {t('account.accessKeyId')}
          <input
            autoComplete="off"
            spellCheck={false}
            required={!editing || !profile?.accessKeyId}
            value={accessKeyId}
            onChange={(e) => setAccessKeyId(e.target.value)}
          />
        </label>
        <label>
          {t('account.secret')}
          <input
            type="password"
            autoComplete="new-password"
            required={!editing || keyIdChanged}
            placeholder={editing ? t('account.keepSecret') : ''}
            value={secret}
            onChange={(e) => setSecret(e.target.value)}
          />
        </label>
        <label>
          {t('account.sessionToken')}
          <input
            type="password"
            autoComplete="off"
            value={sessionToken}
            onChange={(e) => setSessionToken(e.target.value)}
          />
        </label>
        <label>
          {t('account.startPath')}
          <input
            spellCheck={false}
            placeholder="bucket/folder/"
            aria-describedby="account-start-path-hint"
            value={startPath}
            onChange={(e) => setStartPath(e.target.value)}
          />
        </label>
        <p id="account-start-path-hint" className="muted">
          {t('account.startPathHint')}
        </p>
        <label className="check">
          <input type="checkbox" checked={readOnly} onChange={(e) => setReadOnly(e.target.checked)} />
          {t('account.readOnly')}
        </label>
        <TestResult test={test} />
        {error ? <ErrorMessage error={error} /> : null}
        <div className="buttons">
          <button type="button" onClick={close}>
            {t('action.cancel')}
          </button>
          <button
            type="button"
            disabled={busy || test.status === 'testing'}
            onClick={(e) => {
              // The form's own checks (required fields) first, as Save has them.
              if (e.currentTarget.form?.reportValidity()) void runTest();
            }}
          >
            {t('account.test')}
          </button>
          {test.status === 'failed' ? (
            <button type="button" disabled={busy} onClick={() => void save()}>
              {t('account.saveAnyway')}
            </button>
          ) : null}
          <button type="submit" className="primary" disabled={busy || test.status === 'testing'}>
            {t('action.save')}
          </button>
        </div>
      </form>
    </Modal>
  );
}

type TestState =
  | { status: 'idle' }
  | { status: 'testing' }
  | { status: 'ok'; message: string }
  | { status: 'failed'; message: string; requestId?: string };

function TestResult({ test }: { test: TestState }) {
  const t = useT();
  if (test.status === 'idle') return null;
  if (test.status === 'testing') {
    return (
      <p role="status" className="muted">
        {t('account.testing')}
      </p>
    );
  }
  if (test.status === 'ok')
    return (
      <p role="status" className="test-result ok">
        {t('account.testOk', { message: test.message })}
      </p>
    );
  return (
    <div role="alert" className="error-message">
      <p className="error-text">{t('account.testFailed', { message: test.message })}</p>
      {test.requestId ? <p className="error-meta">{t('error.requestId', { id: test.requestId })}</p> : null}
      <p>{t('account.saveAnywayHint')}</p>
    </div>
  );
}
