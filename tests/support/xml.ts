/**
 * A strict XML 1.0 well-formedness check, enough for the SVG exports (no DTD, no CDATA, no
 * processing instructions): every code point an XML 1.0 Char, every reference well-formed and to
 * a Char, tags balanced under one root, attributes quoted. Returns the first problem, or null.
 */
const CHAR = /^[\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]$/u;
const NAME = '[A-Za-z_:][A-Za-z0-9_:.-]*';
const TAG = new RegExp(`^<(/?)(${NAME})((?:\\s+${NAME}\\s*=\\s*(?:"[^"<]*"|'[^'<]*'))*)\\s*(/?)>`);
const ENTITIES = new Set(['lt', 'gt', 'amp', 'quot', 'apos']);

function badReference(text: string): string | null {
  for (const match of text.matchAll(/&([^;]*);?/g)) {
    const [whole, body = ''] = match;
    if (!whole.endsWith(';')) return `a bare & near "${text.slice(match.index, match.index + 12)}"`;
    if (ENTITIES.has(body)) continue;
    const number = /^#x([0-9a-fA-F]+)$/.exec(body)?.[1] ?? /^#([0-9]+)$/.exec(body)?.[1];
    if (number === undefined) return `an unknown reference &${body};`;
    const codePoint = Number.parseInt(number, body.startsWith('#x') ? 16 : 10);
    if (codePoint > 0x10ffff || !CHAR.test(String.fromCodePoint(codePoint))) {
      return `a reference to a code point that is no XML character: &${body};`;
    }
  }
  return null;
}

export function xmlProblem(xml: string): string | null {
  for (const char of xml) {
    if (!CHAR.test(char))
      return `U+${(char.codePointAt(0) as number).toString(16).toUpperCase()} is no XML 1.0 character`;
  }
  const open: string[] = [];
  let roots = 0;
  let rest = xml.replace(/^<\?xml[^?]*\?>/, '');
  while (rest.length > 0) {
    const lt = rest.indexOf('<');
    const text = lt === -1 ? rest : rest.slice(0, lt);
    const bad = badReference(text);
    if (bad) return bad;
    if (open.length === 0 && text.trim() !== '') return 'text outside the root';
    if (lt === -1) break;
    rest = rest.slice(lt);
    const tag = TAG.exec(rest);
    if (!tag) return `a malformed tag near "${rest.slice(0, 40)}"`;
    const [whole, closing, name = '', attributes = '', selfClosing] = tag;
    const attributeProblem = badReference(attributes);
    if (attributeProblem) return attributeProblem;
    if (closing) {
      if (open.pop() !== name) return `</${name}> closes nothing open`;
    } else {
      if (open.length === 0 && ++roots > 1) return 'more than one root element';
      if (!selfClosing) open.push(name);
    }
    rest = rest.slice(whole.length);
  }
  return open.length > 0 ? `<${open.at(-1)}> is never closed` : roots === 1 ? null : 'no root element';
}
