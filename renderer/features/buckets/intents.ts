/** Bucket and folder intents every path (toolbar, keyboard, menus) goes through. */
import { isReadOnly } from '../../stores/accounts';
import { placeToLocation, useBrowser, type Side } from '../../stores/browser';
import { useUi } from '../../stores/ui';
import { readOnlyReason } from '../copy/intents';

/** New folder in the pane's folder; says why not when the pane is not in a bucket or is read-only. */
export function requestNewFolder(side: Side): boolean {
  const location = placeToLocation(useBrowser.getState().panes[side].place);
  if (!location) return false;
  if (isReadOnly(location.profileId)) {
    useUi.getState().notify(readOnlyReason(location.profileId, 'copyInto'));
    return false;
  }
  useUi.getState().openDialog({ kind: 'newFolder', side, location });
  return true;
}

export function requestNewBucket(profileId: string): void {
  if (isReadOnly(profileId)) {
    useUi.getState().notify(readOnlyReason(profileId, 'copyInto'));
    return;
  }
  useUi.getState().openDialog({ kind: 'newBucket', profileId });
}

export function requestDeleteBucket(profileId: string, bucket: string): void {
  if (isReadOnly(profileId)) {
    useUi.getState().notify(readOnlyReason(profileId, 'delete'));
    return;
  }
  useUi.getState().openDialog({ kind: 'deleteBucket', profileId, bucket });
}

export function requestBucketInfo(profileId: string, bucket: string): void {
  useUi.getState().openDialog({ kind: 'bucketInfo', profileId, bucket });
}
