/** One commander-style pane: navigation toolbar, breadcrumb, filter and sort, and the listing. */
import { useT } from '../../i18n';
import { useIsReadOnly } from '../../stores/accounts';
import { otherSide, parentPlace, useBrowser, type Side } from '../../stores/browser';
import type { SortBy } from '../../stores/listing';
import { useUi } from '../../stores/ui';
import { copyToOtherPane, readOnlyReason, requestDelete } from '../copy/intents';
import { Breadcrumb } from './Breadcrumb';
import { ObjectList } from './ObjectList';

const SORTS: SortBy[] = ['name', 'size', 'date', 'type'];

export function Pane({ side }: { side: Side }) {
  const t = useT();
  const active = useBrowser((s) => s.active === side);
  const canBack = useBrowser((s) => s.panes[side].back.length > 0);
  const canForward = useBrowser((s) => s.panes[side].forward.length > 0);
  const canUp = useBrowser((s) => parentPlace(s.panes[side].place) !== null);
  const inBucket = useBrowser((s) => Boolean(s.panes[side].place.bucket));
  const hasSelection = useBrowser((s) => s.panes[side].selected.size > 0);
  const filter = useBrowser((s) => s.panes[side].filter);
  const sort = useBrowser((s) => s.panes[side].sort);
  const profileId = useBrowser((s) => s.panes[side].place.profileId);
  const bucket = useBrowser((s) => s.panes[side].place.bucket);
  const otherProfileId = useBrowser((s) => s.panes[otherSide(side)].place.profileId);
  const readOnly = useIsReadOnly(profileId);
  const otherReadOnly = useIsReadOnly(otherProfileId);
  const browser = useBrowser.getState();
  const deleteReason = readOnly && profileId ? readOnlyReason(profileId, 'delete') : undefined;
  const copyReason = otherReadOnly && otherProfileId ? readOnlyReason(otherProfileId, 'copyInto') : undefined;

  return (
    <section
      className={`pane${active ? ' active' : ''}`}
      aria-label={side === 'left' ? t('pane.left') : t('pane.right')}
      onMouseDown={() => browser.setActive(side)}
    >
      <div className="pane-toolbar" role="toolbar" aria-label={t('pane.toolbar')}>
        <button
          type="button"
          className="icon-button"
          aria-label={t('nav.back')}
          title={t('nav.back')}
          disabled={!canBack}
          onClick={() => browser.goBack(side)}
        >
          ←
        </button>
        <button
          type="button"
          className="icon-button"
          aria-label={t('nav.forward')}
          title={t('nav.forward')}
          disabled={!canForward}
          onClick={() => browser.goForward(side)}
        >
          →
        </button>
        <button
          type="button"
          className="icon-button"
          aria-label={t('nav.up')}
          title={t('nav.up')}
          disabled={!canUp}
          onClick={() => browser.goUp(side)}
        >
          ↑
        </button>
        <button
          type="button"
          className="icon-button"
          aria-label={t('nav.refresh')}
          title={t('nav.refresh')}
          onClick={() => void browser.refresh(side, { keepSelection: true })}
        >
          ⟳
        </button>
        <input
          type="search"
          className="filter"
          aria-label={t('pane.filter')}
          placeholder={t('pane.filter')}
          value={filter}
          onChange={(e) => browser.setFilter(side, e.target.value)}
        />
        <label className="sort">
          <span className="visually-hidden">{t('pane.sortBy')}</span>
          <select
            aria-label={t('pane.sortBy')}
            value={sort.by}
            onChange={(e) => browser.setSort(side, { ...sort, by: e.target.value as SortBy })}
          >
            {SORTS.map((by) => (
              <option key={by} value={by}>
                {t(`sort.${by}`)}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          className="icon-button"
          aria-label={sort.descending ? t('sort.descending') : t('sort.ascending')}
          aria-pressed={sort.descending}
          title={sort.descending ? t('sort.descending') : t('sort.ascending')}
          onClick={() => browser.setSort(side, { ...sort, descending: !sort.descending })}
        >
          {sort.descending ? '↓' : '↑'}
        </button>
        <span className="spacer" />
        {readOnly ? <span className="tag read-only-tag">{t('account.readOnlyTag')}</span> : null}
        <button
          type="button"
          disabled={!inBucket}
          onClick={() => {
            if (profileId && bucket) useUi.getState().openDialog({ kind: 'orphans', profileId, bucket });
          }}
          title={inBucket ? t('orphans.hint') : t('orphans.needsBucket')}
        >
          {t('orphans.open')}
        </button>
        <button
          type="button"
          disabled={!inBucket || !hasSelection || Boolean(copyReason)}
          onClick={() => copyToOtherPane(side)}
          title={copyReason ?? 'F5'}
        >
          {t('action.copyToOther')}
        </button>
        <button
          type="button"
          className="danger"
          disabled={!inBucket || !hasSelection || readOnly}
          onClick={() => requestDelete(side)}
          title={deleteReason ?? 'Del'}
        >
          {t('action.delete')}
        </button>
      </div>
      <Breadcrumb side={side} />
      <ObjectList side={side} />
    </section>
  );
}
