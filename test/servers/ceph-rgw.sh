#!/usr/bin/env bash
# A real S3 server on loopback for tests: a one-node Ceph cluster (monitor + one in-memory OSD)
# with the RADOS Gateway in front, all from Debian's packages. Verified on Debian 12 (Ceph 16.2).
#
#   ceph-rgw.sh install         apt-get the Ceph packages (Debian 12)
#   ceph-rgw.sh up DIR [PORT]   start it (state, logs and sockets under DIR); prints the endpoint
#   ceph-rgw.sh down DIR        stop the daemons it started (by the PIDs it recorded)
#   ceph-rgw.sh user DIR UID KEY SECRET   add an S3 user (another account) to a running one
#
# Needs: apt-get install -y --no-install-recommends ceph-mon ceph-osd radosgw ceph-common
# Credentials it creates: access key "testkey", secret "testsecret" (region: any, e.g. us-east-1;
# path-style addressing). Data lives in memory: it is gone when the OSD stops.
# Facts seen here: starts in about 20 s; SigV4 signatures are verified (a wrong secret gets
# SignatureDoesNotMatch); CopyObject honours COPY/REPLACE; UploadPartCopy with ranges, ListParts,
# ListMultipartUploads and AbortMultipartUpload work; CopyObject of a large object is a cheap
# reference copy, while UploadPartCopy really copies bytes (512 MiB in 2.7 s with 8 parts of
# 64 MiB in flight, 4.6 s one part at a time).
# Trap: the in-memory OSD holds MEMSTORE_BYTES (4 GiB by default). When it is full, RGW does not
# fail requests, it hangs them. This recipe makes RGW collect deleted and overwritten data at once
# (twelve overwrites of a 512 MiB object in a 4 GiB store passed), but tests should still delete
# what they create and keep large objects few.
set -euo pipefail
cmd=${1:?install|up|down|user}
if [[ $cmd == install ]]; then
  if command -v radosgw >/dev/null && command -v ceph-mon >/dev/null && command -v ceph-osd >/dev/null; then exit 0; fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends ceph-mon ceph-osd radosgw ceph-common curl >/dev/null
  exit 0
fi
dir=${2:?state directory}
if [[ $cmd == user ]]; then  # user DIR UID ACCESS_KEY SECRET: another S3 user, i.e. another account
  radosgw-admin -c "$dir/ceph.conf" user create --uid="${3:?uid}" --display-name="$3" \
    --access-key="${4:?access key}" --secret="${5:?secret}" >/dev/null
  exit 0
fi
port=${3:-17480} monport=$((port + 1))
conf=$dir/ceph.conf C=(-c "$dir/ceph.conf")

if [[ $cmd == down ]]; then  # stop, and wait until they are gone (a second `up` needs the ports)
  pids=()
  for f in "$dir"/pids/*; do [[ -f $f ]] && pids+=("$(cat "$f")"); done
  ((${#pids[@]})) || exit 0
  kill "${pids[@]}" 2>/dev/null || true
  for _ in $(seq 40); do kill -0 "${pids[@]}" 2>/dev/null || exit 0; sleep 0.5; done
  kill -9 "${pids[@]}" 2>/dev/null || true
  exit 0
fi
if curl -s -o /dev/null "http://127.0.0.1:$port/"; then
  echo "port $port is already in use" >&2
  exit 1
fi

mkdir -p "$dir"/{run,log,mon/a,osd/0,pids}
fsid=$(cat /proc/sys/kernel/random/uuid)
cat >"$conf" <<CONF
[global]
fsid = $fsid
mon host = v1:127.0.0.1:$monport
mon initial members = a
auth cluster required = none
auth service required = none
auth client required = none
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
osd crush chooseleaf type = 0
mon allow pool size one = true
mon warn on pool no redundancy = false
mon max pg per osd = 2000
osd objectstore = memstore
memstore device bytes = ${MEMSTORE_BYTES:-4294967296}
ms bind msgr2 = false
run dir = $dir/run
log file = $dir/log/\$name.log
admin socket = $dir/run/\$name.asok
osd data = $dir/osd/\$id
mon data = $dir/mon/\$id
keyring = $dir/keyring
osd max object name len = 460
osd max object namespace len = 64
[client.rgw.a]
rgw frontends = beast endpoint=127.0.0.1:$port
# Deleted and overwritten data is freed by RGW's garbage collector, by default hours later; in a
# memory store that fills the OSD, and a full OSD makes every request hang. Collect at once.
rgw gc obj min wait = 0
rgw gc processor period = 5
rgw gc processor max time = 5
CONF
ceph-authtool --create-keyring "$dir/keyring" --gen-key -n mon. --cap mon 'allow *' >/dev/null
monmaptool --create --addv a "v1:127.0.0.1:$monport" --fsid "$fsid" "$dir/monmap" >/dev/null
ceph-mon "${C[@]}" --mkfs -i a --monmap "$dir/monmap" --keyring "$dir/keyring"
ceph-mon "${C[@]}" -i a --pid-file "$dir/pids/mon"
for _ in $(seq 30); do  # the monitor takes a moment to form its quorum
  ceph "${C[@]}" --connect-timeout 2 mon stat >/dev/null 2>&1 && break
  sleep 0.5
done
id=$(ceph "${C[@]}" osd create)
ceph-osd "${C[@]}" -i "$id" --mkfs >/dev/null 2>&1
ceph "${C[@]}" osd crush add-bucket localhost host >/dev/null 2>&1
ceph "${C[@]}" osd crush move localhost root=default >/dev/null 2>&1
ceph "${C[@]}" osd crush add "osd.$id" 1.0 host=localhost >/dev/null 2>&1
ceph-osd "${C[@]}" -i "$id" --pid-file "$dir/pids/osd" 2>/dev/null
radosgw "${C[@]}" -n client.rgw.a --pid-file "$dir/pids/rgw" >"$dir/log/rgw.out" 2>&1
for _ in $(seq 60); do
  curl -sf -o /dev/null "http://127.0.0.1:$port/" && break
  sleep 1
done
radosgw-admin "${C[@]}" user create --uid=test --display-name=test \
  --access-key=testkey --secret=testsecret >/dev/null
echo "http://127.0.0.1:$port"
