/** The string tables' plural forms: the right branch per language, and every plural in both tables well formed. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { selectPlurals } from '../../renderer/i18n/plural';
import en from '../../renderer/i18n/en.json';
import zhCN from '../../renderer/i18n/zh-CN.json';

const ITEMS = 'Copy {count, plural, one {# item} other {# items}}';

describe('plural forms', () => {
  it('picks one and other by the language rule, with the number formatted', () => {
    assert.equal(selectPlurals('en', ITEMS, { count: 1 }), 'Copy 1 item');
    assert.equal(selectPlurals('en', ITEMS, { count: 0 }), 'Copy 0 items');
    assert.equal(selectPlurals('en', ITEMS, { count: 10000 }), 'Copy 10,000 items');
  });

  it('prefers an exact branch, and keeps other placeholders for the caller', () => {
    const t =
      '{count, plural, =0 {nothing in {where}} one {# object in {where}} other {# objects in {where}}}';
    assert.equal(selectPlurals('en', t, { count: 0 }), 'nothing in {where}');
    assert.equal(selectPlurals('en', t, { count: 2 }), '2 objects in {where}');
  });

  it('uses other where the language has no singular', () => {
    assert.equal(selectPlurals('zh-CN', '{count, plural, other {复制 # 项}}', { count: 1 }), '复制 1 项');
  });

  it('every plural in both tables has an other branch and leaves no braces behind', () => {
    for (const [language, table] of [
      ['en', en],
      ['zh-CN', zhCN],
    ] as const) {
      for (const [key, template] of Object.entries(table)) {
        if (!template.includes(', plural,')) continue;
        assert.match(template, /other \{/, `${language} ${key} has no other branch`);
        for (const count of [0, 1, 2, 5, 1000]) {
          const out = selectPlurals(language, template, { count, n: count });
          assert.doesNotMatch(out, /plural,/, `${language} ${key} did not resolve for ${count}`);
        }
      }
    }
  });
});
