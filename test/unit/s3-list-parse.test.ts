import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  parseListObjectsV2,
  parseListObjectsV2WithXmlReader,
  parseResultEtag,
  scanListObjectsV2,
  scanResultEtag,
} from '../../main/storage/s3/s3-results';
import { childText, xmlRoot } from '../../main/storage/xml';
import { normalizeEtag } from '../../preload/shared/etag';

const esc = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function page(opts: {
  keys: string[];
  prefixes?: string[];
  url?: boolean;
  truncated?: boolean;
  token?: string;
  xmlns?: boolean;
  declaration?: boolean;
  owner?: boolean;
}): string {
  const enc = (k: string) => (opts.url ? encodeURIComponent(k).replace(/%20/g, '+') : esc(k));
  const contents = opts.keys
    .map(
      (k, i) =>
        `<Contents><Key>${enc(k)}</Key><LastModified>2026-11-25T19:0${i % 10}:00.000Z</LastModified>` +
        `<ETag>&quot;${'0123456789abcdef'.repeat(2)}&quot;</ETag><Size>${i * 7}</Size>` +
        (opts.owner ? '<Owner><ID>test</ID><DisplayName>a &amp; b</DisplayName></Owner>' : '') +
        `<StorageClass>STANDARD</StorageClass></Contents>\n`,
    )
    .join('');
  const prefixes = (opts.prefixes ?? [])
    .map((p) => `<CommonPrefixes><Prefix>${enc(p)}</Prefix></CommonPrefixes>`)
    .join('');
  return (
    (opts.declaration ? '<?xml version="1.0" encoding="UTF-8"?>\n' : '') +
    `<ListBucketResult${opts.xmlns ? ' xmlns="http://s3.amazonaws.com/doc/2006-03-01/"' : ''}>` +
    `<Name>bkt</Name><Prefix>${enc('a/')}</Prefix><KeyCount>${opts.keys.length}</KeyCount><MaxKeys>1000</MaxKeys>` +
    (opts.url ? '<EncodingType>url</EncodingType>' : '') +
    `<IsTruncated>${opts.truncated ? 'true' : 'false'}</IsTruncated>` +
    (opts.token ? `<NextContinuationToken>${esc(opts.token)}</NextContinuationToken>` : '') +
    contents +
    prefixes +
    '</ListBucketResult>'
  );
}

const KEYS = [
  'a/plain.txt',
  'a/sp ace+plus.txt',
  'a/amp&lt<gt>"q\'',
  'a/ü中文💥',
  'a/%41%zz',
  'a/tab\there',
  ' a/ lead',
];

describe('ListObjectsV2 scanner', () => {
  const cases: [string, string][] = [
    ['url-encoded, RGW-like', page({ keys: KEYS, url: true, declaration: true, xmlns: true, owner: true })],
    ['not encoded, entities', page({ keys: KEYS.filter((k) => !k.includes('\t') && k.trim() === k) })],
    [
      'prefixes and a token',
      page({ keys: ['a/x'], prefixes: ['a/d1/', 'a/d 2/'], url: true, truncated: true, token: 'tok+/=&x' }),
    ],
    ['empty page', page({ keys: [] })],
  ];
  for (const [name, doc] of cases) {
    it(`reads ${name} itself, exactly as the general XML reader does`, () => {
      const scanned = scanListObjectsV2(doc);
      assert.ok(scanned, 'the scanner handled it');
      assert.deepEqual(scanned, parseListObjectsV2WithXmlReader(doc));
    });
  }

  it('decodes keys exactly (url encoding and entities)', () => {
    const got = parseListObjectsV2(page({ keys: KEYS, url: true }));
    assert.deepEqual(
      got.objects.map((o) => o.key),
      KEYS,
    );
    assert.equal(got.objects[0]!.etag, '0123456789abcdef'.repeat(2));
  });

  const fallbacks: [string, string][] = [
    ['CDATA', page({ keys: ['a'] }).replace('<Key>a</Key>', '<Key><![CDATA[a]]></Key>')],
    ['a comment', page({ keys: ['a'] }).replace('<Key>', '<!-- c --><Key>')],
    ['a numeric entity', page({ keys: ['a&b'] }).replace('&amp;', '&#38;')],
    ['a namespace prefix', page({ keys: ['a'] }).replace(/<(\/?)Key>/g, '<$1s3:Key>')],
    ['a self-closing key', page({ keys: ['a'] }).replace('<Key>a</Key>', '<Key/>')],
    ['an upper-case TRUE', page({ keys: ['a'], truncated: true, token: 't' }).replace('>true<', '>TRUE<')],
  ];
  for (const [name, doc] of fallbacks) {
    it(`leaves a page with ${name} to the general reader, which answers the same`, () => {
      assert.equal(scanListObjectsV2(doc), undefined);
      assert.deepEqual(parseListObjectsV2(doc), parseListObjectsV2WithXmlReader(doc));
    });
  }

  it('still refuses a truncated page without a token, and a document that is not a listing', () => {
    assert.throws(() => parseListObjectsV2(page({ keys: ['a'], truncated: true })), /no continuation token/);
    assert.throws(() => parseListObjectsV2('<Error><Code>x</Code></Error>'), /instead of <ListBucketResult>/);
  });
});

describe('copy and complete results: the ETag scanner and the general reader agree', () => {
  const quoted = `&quot;${'0123456789abcdef'.repeat(2)}&quot;`;
  const cases: [string, string, boolean][] = [
    // [document, root, scanned (false: handed to the general reader)]
    [
      `<CopyObjectResult><LastModified>2026-11-26T03:00:00.000Z</LastModified><ETag>${quoted}</ETag></CopyObjectResult>`,
      'CopyObjectResult',
      true,
    ],
    [
      `<?xml version="1.0" encoding="UTF-8"?>\n<CopyObjectResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><LastModified>2026-11-26T03:00:00.000Z</LastModified><ETag>"abc"</ETag></CopyObjectResult>`,
      'CopyObjectResult',
      true,
    ],
    [
      `\n\n   <CopyPartResult><ETag>${quoted}</ETag><LastModified>2026-11-26T03:00:00.000Z</LastModified></CopyPartResult>  `,
      'CopyPartResult',
      true,
    ],
    [
      `<CompleteMultipartUploadResult><Location>http://h/b/k</Location><Bucket>b</Bucket><Key>a &amp; b</Key><ETag>${quoted.replace('ef&quot;', 'ef-3&quot;')}</ETag></CompleteMultipartUploadResult>`,
      'CompleteMultipartUploadResult',
      true,
    ],
    // RGW 16.2's Complete: an empty ETag element
    [
      '<CompleteMultipartUploadResult><Location>x</Location><Bucket>b</Bucket><Key>k</Key><ETag/></CompleteMultipartUploadResult>',
      'CompleteMultipartUploadResult',
      false,
    ],
    [`<CopyObjectResult><ETag><![CDATA["abc"]]></ETag></CopyObjectResult>`, 'CopyObjectResult', false],
    [`<CopyObjectResult><!-- note --><ETag>"abc"</ETag></CopyObjectResult>`, 'CopyObjectResult', false],
    [
      `<s3:CopyObjectResult xmlns:s3="x"><s3:ETag>"abc"</s3:ETag></s3:CopyObjectResult>`,
      'CopyObjectResult',
      false,
    ],
    [`<CopyObjectResult><ETag>&#34;abc&#34;</ETag></CopyObjectResult>`, 'CopyObjectResult', false],
    [
      `<CopyObjectResult><Checksum><ETag>"inner"</ETag></Checksum><ETag>"abc"</ETag></CopyObjectResult>`,
      'CopyObjectResult',
      false,
    ],
    [`<CopyObjectResult><LastModified>t</LastModified></CopyObjectResult>`, 'CopyObjectResult', false],
  ];
  for (const [doc, root, scanned] of cases) {
    it(`${scanned ? 'scans' : 'hands over'}: ${doc.slice(0, 70)}`, () => {
      assert.equal(scanResultEtag(doc, root) !== undefined, scanned);
      const general = normalizeEtag(childText(xmlRoot(doc)?.node, 'ETag'));
      assert.equal(parseResultEtag(doc, root), general);
    });
  }

  it('a document with another root is refused, not scanned', () => {
    assert.equal(scanResultEtag('<Error><ETag>"x"</ETag></Error>', 'CopyObjectResult'), undefined);
    assert.throws(() => parseResultEtag('<Error><Code>InternalError</Code></Error>', 'CopyObjectResult'));
  });
});
