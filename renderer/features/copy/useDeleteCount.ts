/**
 * How much a delete will remove, counted in the background while the confirmation is open: the
 * selected objects' sizes from the listing, and every object under each selected folder, page by
 * page (the count on screen grows with each page). Stops when the dialog closes.
 */
import { useEffect, useState } from 'react';
import { LIMITS } from '../../../preload/shared/contract';
import { call } from '../../api';
import { useBrowser } from '../../stores/browser';
import type { DeleteRequest } from '../../stores/ui';

export interface DeleteCount {
  objects: number;
  bytes: number;
  done: boolean;
  failed: boolean;
}

/** The selected objects, from the listing the person is looking at (no request needed). */
function plainObjects(request: DeleteRequest): { objects: number; bytes: number } {
  const pane = useBrowser.getState().panes[request.side];
  const sizes = new Map(pane.visible.map((e) => [e.id, e.size ?? 0]));
  const plain = request.keys.filter((k) => !k.endsWith('/'));
  return { objects: plain.length, bytes: plain.reduce((n, k) => n + (sizes.get(k) ?? 0), 0) };
}

export function useDeleteCount(request: DeleteRequest): DeleteCount {
  const [count, setCount] = useState<DeleteCount>(() => ({
    ...plainObjects(request),
    done: !request.keys.some((k) => k.endsWith('/')),
    failed: false,
  }));
  useEffect(() => {
    const folders = request.keys.filter((k) => k.endsWith('/'));
    if (folders.length === 0) return;
    let stopped = false;
    let { objects, bytes } = plainObjects(request);
    void (async () => {
      try {
        for (const folder of folders) {
          let token: string | undefined;
          do {
            const page = await call('storage.listObjects', {
              profileId: request.profileId,
              bucket: request.bucket,
              prefix: folder,
              continuationToken: token,
              maxKeys: LIMITS.listPage,
            });
            if (stopped) return;
            objects += page.objects.length;
            bytes += page.objects.reduce((n, o) => n + o.size, 0);
            token = page.nextToken;
            setCount({ objects, bytes, done: false, failed: false });
          } while (token);
        }
        if (!stopped) setCount({ objects, bytes, done: true, failed: false });
      } catch {
        if (!stopped) setCount({ objects, bytes, done: true, failed: true });
      }
    })();
    return () => {
      stopped = true;
    };
  }, [request]);
  return count;
}
