/**
 * Add or edit an account. Endpoints come from the OSS region list or an S3-compatible preset; keys are
 * typed into password fields once and are never shown again (the contract never returns them).
 */
import { useState, type FormEvent } from 'react';
import type { Profile, ProfileInput } from '../../../preload/shared/contract';
import { errorInfo } from '../../api';
import { useT } from '../../i18n';
import { useAccounts } from '../../stores/accounts';
import { useUi } from '../../stores/ui';
import { ErrorMessage } from '../ErrorMessage';
import { Modal } from '../Modal';
import {
  AWS_REGIONS,
  awsEndpoint,
  detectOssEndpointKind,
  detectS3Preset,
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
  const close = useUi((s) => s.closeDialog);
  const editing = Boolean(profile);
  const [name, setName] = useState(profile?.name ?? '');
  const [provider, setProvider] = useState<Provider>(profile?.provider === 's3' ? 's3' : 'oss');
  const [ossRegion, setOssRegion] = useState(
    profile?.provider === 'oss' ? (profile.region ?? 'cn-hangzhou') : 'cn-hangzhou',
  );
  const [ossKind, setOssKind] = useState<OssEndpointKind | 'custom'>(
    profile?.provider === 'oss' ? detectOssEndpointKind(profile.endpoint) : 'public',
  );
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
  const [accessKeyId, setAccessKeyId] = useState('');
  const [secret, setSecret] = useState('');
  const [sessionToken, setSessionToken] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ReturnType<typeof errorInfo> | null>(null);

  let endpoint: string;
  let region: string;
  let usePathStyle: boolean | undefined;
  if (provider === 'oss') {
    endpoint = ossKind === 'custom' ? customEndpoint : ossEndpoint(ossRegion, ossKind);
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

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const input: ProfileInput = {
      id: profile?.id,
      name: name.trim(),
      provider,
      endpoint: endpoint.trim(),
      region: region.trim(),
      readOnly,
      ...(provider === 'oss' ? { signatureVersion } : { pathStyle: usePathStyle }),
      ...(accessKeyId || secret ? { accessKeyId: accessKeyId.trim(), secretAccessKey: secret } : {}),
      ...(sessionToken ? { securityToken: sessionToken } : {}),
    };
    setBusy(true);
    try {
      await useAccounts.getState().save(input);
      close();
    } catch (err) {
      setError(errorInfo(err));
      setBusy(false);
    }
  };

  const showCustomEndpoint =
    (provider === 'oss' && ossKind === 'custom') || (provider === 's3' && preset === 'custom');

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
                    {r}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t('account.endpointKind')}
              <select
                value={ossKind}
                onChange={(e) => setOssKind(e.target.value as OssEndpointKind | 'custom')}
              >
                <option value="public">{t('account.endpoint.public')}</option>
                <option value="internal">{t('account.endpoint.internal')}</option>
                <option value="accelerate">{t('account.endpoint.accelerate')}</option>
                <option value="custom">{t('account.endpoint.custom')}</option>
              </select>
            </label>
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
            required={!editing}
            placeholder={editing ? t('account.keepKeys') : ''}
            value={accessKeyId}
            onChange={(e) => setAccessKeyId(e.target.value)}
          />
        </label>
        <label>
          {t('account.secret')}
          <input
            type="password"
            autoComplete="new-password"
            required={!editing || Boolean(accessKeyId)}
            placeholder={editing ? t('account.keepKeys') : ''}
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
        <label className="check">
          <input type="checkbox" checked={readOnly} onChange={(e) => setReadOnly(e.target.checked)} />
          {t('account.readOnly')}
        </label>
        {error ? <ErrorMessage error={error} /> : null}
        <div className="buttons">
          <button type="button" onClick={close}>
            {t('action.cancel')}
          </button>
          <button type="submit" className="primary" disabled={busy}>
            {t('action.save')}
          </button>
        </div>
      </form>
    </Modal>
  );
}
