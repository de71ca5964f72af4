/** Plural forms for the string tables, by the language's own rules (Intl.PluralRules). */
export type Vars = Record<string, string | number>;

const pluralRules = new Map<string, Intl.PluralRules>();

function pluralCategory(language: string, n: number): string {
  let rules = pluralRules.get(language);
  if (!rules) pluralRules.set(language, (rules = new Intl.PluralRules(language)));
  return rules.select(n);
}

/**
 * The ICU plural form, the one piece of ICU the tables use: `{count, plural, one {# item} other
 * {# items}}` picks the branch for the language's rule for `count` (`=0`-style exact branches
 * first), and `#` is the number. Chinese needs only `other`.
 */
const PLURAL = /\{(\w+), plural,((?:\s*=?\w+\s*\{[^{}]*(?:\{\w+\}[^{}]*)*\})+)\s*\}/g;
const BRANCH = /\s*(=?\w+)\s*\{([^{}]*(?:\{\w+\}[^{}]*)*)\}/g;

export function selectPlurals(language: string, template: string, vars: Vars): string {
  return template.replace(PLURAL, (whole, name: string, body: string) => {
    const value = Number(vars[name]);
    if (!(name in vars) || !Number.isFinite(value)) return whole;
    const branches = new Map<string, string>();
    for (const m of body.matchAll(BRANCH)) branches.set(m[1]!, m[2]!);
    const text =
      branches.get(`=${value}`) ??
      branches.get(pluralCategory(language, value)) ??
      branches.get('other') ??
      whole;
    return text.replace(/#/g, formatCount(value, language));
  });
}

export function formatCount(n: number, language: string): string {
  return n.toLocaleString(language);
}
