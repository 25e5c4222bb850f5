/**
 * A strict, small XML 1.0 reader for the JUnit tests: it accepts only well-formed documents of
 * the shape the formatter writes (declaration, elements, attributes in double quotes, text,
 * character and the five predefined entity references) and returns the decoded tree, so that a
 * test can check both that the XML parses and that values survive escaping unchanged.
 */

/** One element: its name, decoded attributes, children and decoded text. */
export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
// https://www.w3.org/TR/xml/#charsets, written as the characters that may NOT appear.
const ILLEGAL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const NAME = /^[A-Za-z_][\w.-]*/;

function decode(raw: string, where: string, attribute: boolean): string {
  if (raw.includes('<')) throw new Error(`raw < in ${where}`);
  // Attribute-value normalisation: literal tab, CR and LF become spaces (XML 1.0, 3.3.3).
  const normalised = attribute ? raw.replace(/[\t\r\n]/g, ' ') : raw.replace(/\r\n?/g, '\n');
  return normalised.replace(/&([^;]*);|&/g, (whole, ref: string | undefined) => {
    if (ref === undefined) throw new Error(`bare & in ${where}`);
    if (ref in ENTITIES) return ENTITIES[ref];
    const m = /^#(?:x([0-9a-fA-F]+)|([0-9]+))$/.exec(ref);
    if (!m) throw new Error(`unknown entity &${ref}; in ${where}`);
    const code = m[1] !== undefined ? parseInt(m[1], 16) : Number(m[2]);
    const c = String.fromCodePoint(code);
    if (ILLEGAL.test(c)) throw new Error(`reference to an illegal character ${whole} in ${where}`);
    return c;
  });
}

/** Returns the root element of a document; throws with a reason when it is not well-formed. */
export function parseXml(xml: string): XmlElement {
  if (ILLEGAL.test(xml)) throw new Error(`illegal character U+${xml.match(ILLEGAL)![0].charCodeAt(0).toString(16)}`);
  let rest = xml.replace(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n/, '');
  if (rest === xml) throw new Error('no XML declaration');
  const root: XmlElement = { name: '#document', attributes: {}, children: [], text: '' };
  const stack = [root];
  while (rest.length > 0) {
    const top = stack[stack.length - 1];
    const lt = rest.indexOf('<');
    const chunk = lt === -1 ? rest : rest.slice(0, lt);
    if (chunk.includes(']]>')) throw new Error(`]]> in text of <${top.name}>`);
    top.text += decode(chunk, `text of <${top.name}>`, false);
    if (lt === -1) break;
    rest = rest.slice(lt);
    const close = /^<\/([A-Za-z_][\w.-]*)\s*>/.exec(rest);
    if (close) {
      if (stack.length < 2 || top.name !== close[1]) throw new Error(`</${close[1]}> closes <${top.name}>`);
      stack.pop();
      rest = rest.slice(close[0].length);
      continue;
    }
    const name = NAME.exec(rest.slice(1));
    if (!name) throw new Error(`bad markup at ${JSON.stringify(rest.slice(0, 20))}`);
    const element: XmlElement = { name: name[0], attributes: {}, children: [], text: '' };
    rest = rest.slice(1 + name[0].length);
    for (;;) {
      const a = /^\s+([A-Za-z_][\w.:-]*)="([^"]*)"/.exec(rest);
      if (!a) break;
      if (a[1] in element.attributes) throw new Error(`duplicate attribute ${a[1]} on <${element.name}>`);
      element.attributes[a[1]] = decode(a[2], `attribute ${a[1]} of <${element.name}>`, true);
      rest = rest.slice(a[0].length);
    }
    const end = /^\s*(\/?)>/.exec(rest);
    if (!end) throw new Error(`unterminated <${element.name}> at ${JSON.stringify(rest.slice(0, 20))}`);
    rest = rest.slice(end[0].length);
    if (top === root && root.children.length > 0) throw new Error('more than one root element');
    top.children.push(element);
    if (end[1] !== '/') stack.push(element);
  }
  if (stack.length !== 1) throw new Error(`<${stack[stack.length - 1].name}> is not closed`);
  if (root.children.length !== 1 || root.text.trim() !== '') throw new Error('expected exactly one root element');
  return root.children[0];
}
