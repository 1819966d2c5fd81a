/**
 * A tolerant reader for the flat YAML that tsh writes for a profile (`<proxy>.yaml`, yaml.v2 of
 * `api/profile/profile.go:Profile`): top-level `key: value` scalars and simple lists.
 *
 * Why not a YAML library: the only one in node_modules (js-yaml) is a transitive dependency of
 * electron-builder, not ours, and the format is a dozen flat keys. Nested maps are skipped, not
 * misread; anything unreadable is ignored like yaml.v2 ignores unknown keys.
 */

export type FlatYamlValue = string | string[];
export type FlatYaml = Record<string, FlatYamlValue>;

const KEY_LINE = /^([A-Za-z0-9_.-]+)\s*:(?:\s+(.*))?$/;
const LIST_ITEM = /^\s*-(?:\s+(.*))?$/;

/** Drops a trailing ` # comment` outside quotes. */
function stripComment(text: string): string {
  let quote: string | undefined;
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i];
    if (quote !== undefined) {
      if (char === quote) quote = undefined;
    } else if (char === '"' || char === "'") {
      quote = char;
    } else if (char === '#' && (i === 0 || /\s/.test(text[i - 1] ?? ''))) {
      return text.slice(0, i);
    }
  }
  return text;
}

function unquote(raw: string): string {
  const text = raw.trim();
  if (text.length >= 2 && text.startsWith("'") && text.endsWith("'")) {
    return text.slice(1, -1).replace(/''/g, "'");
  }
  if (text.length >= 2 && text.startsWith('"') && text.endsWith('"')) {
    return text
      .slice(1, -1)
      .replace(/\\(["\\/nt])/g, (_, c: string) => ({ n: '\n', t: '\t' })[c] ?? c);
  }
  return text === '~' || text === 'null' ? '' : text;
}

function scalarOrInlineList(raw: string): FlatYamlValue {
  const text = raw.trim();
  if (text.startsWith('[') && text.endsWith(']')) {
    const inner = text.slice(1, -1).trim();
    return inner === '' ? [] : inner.split(',').map(unquote);
  }
  return unquote(text);
}

export function parseFlatYaml(text: string): FlatYaml {
  const result: FlatYaml = {};
  // The key whose value is given on the following lines (a block list, or a nested map we skip).
  let openKey: string | undefined;
  for (const rawLine of text.replace(/^\uFEFF/, '').split(/\r?\n/)) {
    const line = stripComment(rawLine).trimEnd();
    if (line.trim() === '' || line.trim() === '---') continue;
    const indented = /^\s/.test(line);
    const item = LIST_ITEM.exec(line);
    if (item && openKey !== undefined) {
      const current = result[openKey];
      const list = Array.isArray(current) ? current : [];
      list.push(unquote(item[1] ?? ''));
      result[openKey] = list;
      continue;
    }
    if (indented) continue; // nested map content
    const match = KEY_LINE.exec(line);
    if (!match) {
      openKey = undefined;
      continue;
    }
    const [, key = '', value] = match;
    if (value === undefined || value.trim() === '') {
      // `key:` alone is '' to yaml.v2's string fields, or a block list if items follow.
      result[key] = '';
      openKey = key;
    } else {
      result[key] = scalarOrInlineList(value);
      openKey = undefined;
    }
  }
  return result;
}

/** A string field: '' when absent or when the file has a list there. */
export function yamlString(yaml: FlatYaml, key: string): string {
  const value = yaml[key];
  return typeof value === 'string' ? value : '';
}
