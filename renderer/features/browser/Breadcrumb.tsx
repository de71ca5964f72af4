/** The path of a pane as buttons; bucket and folder segments are drop targets. */
import type { Location } from '../../../preload/shared/contract';
import { useT } from '../../i18n';
import { useAccounts } from '../../stores/accounts';
import { useBrowser, type Place, type Side } from '../../stores/browser';
import { useDropTarget } from '../copy/useDropTarget';
import { COMPUTER_PROFILE_ID, rootLabel as computerRootLabel } from '../../stores/computer';

interface Segment {
  label: string;
  place: Place;
}

function segmentsOf(place: Place, accountName: string | undefined, rootLabel: string): Segment[] {
  const segments: Segment[] = [{ label: rootLabel, place: { prefix: '' } }];
  if (!place.profileId) return segments;
  segments.push({ label: accountName ?? place.profileId, place: { profileId: place.profileId, prefix: '' } });
  if (!place.bucket) return segments;
  segments.push({
    label: place.profileId === COMPUTER_PROFILE_ID ? computerRootLabel(place.bucket) : place.bucket,
    place: { profileId: place.profileId, bucket: place.bucket, prefix: '' },
  });
  let prefix = '';
  for (const part of place.prefix.split('/').slice(0, -1)) {
    prefix += `${part}/`;
    segments.push({ label: part, place: { ...place, prefix } });
  }
  return segments;
}

function Crumb({ side, segment, current }: { side: Side; segment: Segment; current: boolean }) {
  const navigate = useBrowser((s) => s.navigate);
  const { place } = segment;
  const destination: Location | null =
    place.profileId && place.bucket
      ? { profileId: place.profileId, bucket: place.bucket, prefix: place.prefix }
      : null;
  const drop = useDropTarget(destination);
  return (
    <li>
      <button
        type="button"
        className={`crumb${drop.isOver ? ' drop-over' : ''}`}
        aria-current={current ? 'location' : undefined}
        onClick={() => void navigate(side, place)}
        onDragEnter={drop.onDragEnter}
        onDragOver={drop.onDragOver}
        onDragLeave={drop.onDragLeave}
        onDrop={drop.onDrop}
      >
        {segment.label}
      </button>
    </li>
  );
}

export function Breadcrumb({ side }: { side: Side }) {
  const t = useT();
  const place = useBrowser((s) => s.panes[side].place);
  const accountName = useAccounts((s) => s.profiles.find((p) => p.id === place.profileId)?.name);
  const segments = segmentsOf(place, accountName, t('breadcrumb.root'));
  return (
    <nav aria-label={t('breadcrumb.label')} className="breadcrumb">
      <ol>
        {segments.map((segment, i) => (
          <Crumb
            key={`${i}:${segment.label}`}
            side={side}
            segment={segment}
            current={i === segments.length - 1}
          />
        ))}
      </ol>
    </nav>
  );
}
