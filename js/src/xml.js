import { OssignError } from './errors.js';

// A small XML reader for OSS's response documents (errors, listings, multipart results). It
// runs wherever the package runs — pages, dedicated workers and Node, where DOMParser is
// missing — and keeps the wasm module free of an XML parser. It reads elements and text,
// entities and CDATA; attributes, comments, processing instructions and doctypes are skipped.

/** One element: its name, child elements and text (the concatenation of its text nodes). */
class XMLElement {
  constructor(name) {
    this.name = name;
    this.children = [];
    this.text = '';
  }

  /** The first child element called name, or undefined. */
  child(name) {
    return this.children.find((c) => c.name === name);
  }

  /** The text of the first child element called name, or undefined. */
  childText(name) {
    return this.child(name)?.text;
  }

  /** Every child element called name. */
  all(name) {
    return this.children.filter((c) => c.name === name);
  }
}

const ENTITIES = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Replaces XML's character and entity references. */
function unescapeXML(s) {
  if (!s.includes('&')) return s;
  return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);/g, (ref, body) => {
    if (body[0] !== '#') return ENTITIES[body] ?? ref;
    const code = body[1] === 'x' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
    return code <= 0x10ffff ? String.fromCodePoint(code) : ref;
  });
}

/**
 * Parses a document and returns its root element.
 * @param {string} text
 * @returns {XMLElement}
 * @throws {OssignError} MalformedResponse when text is not well-formed
 */
export function parseXML(text) {
  const bad = (why) => new OssignError('MalformedResponse', `OSS answered a document that is not well-formed XML (${why})`);
  const stack = [];
  let root;
  let i = 0;
  while (i < text.length) {
    const lt = text.indexOf('<', i);
    const textEnd = lt < 0 ? text.length : lt;
    if (textEnd > i && stack.length) stack[stack.length - 1].text += unescapeXML(text.slice(i, textEnd));
    if (lt < 0) break;
    if (text.startsWith('<![CDATA[', lt)) {
      const end = text.indexOf(']]>', lt);
      if (end < 0 || !stack.length) throw bad('CDATA');
      stack[stack.length - 1].text += text.slice(lt + 9, end);
      i = end + 3;
      continue;
    }
    if (text.startsWith('<!--', lt)) {
      const end = text.indexOf('-->', lt);
      if (end < 0) throw bad('comment');
      i = end + 3;
      continue;
    }
    const gt = text.indexOf('>', lt);
    if (gt < 0) throw bad('unclosed tag');
    const tag = text.slice(lt + 1, gt);
    i = gt + 1;
    if (tag[0] === '?' || tag[0] === '!') continue;
    if (tag[0] === '/') {
      const open = stack.pop();
      if (!open || open.name !== tag.slice(1).trim()) throw bad(`</${tag.slice(1)}>`);
      continue;
    }
    const selfClosing = tag.endsWith('/');
    const name = (selfClosing ? tag.slice(0, -1) : tag).trim().split(/\s/)[0];
    if (!name) throw bad('empty tag');
    const el = new XMLElement(name);
    if (stack.length) stack[stack.length - 1].children.push(el);
    else if (root) throw bad('two root elements');
    else root = el;
    if (!selfClosing) stack.push(el);
  }
  if (!root || stack.length) throw bad(root ? `<${stack[stack.length - 1].name}> not closed` : 'no element');
  return root;
}

/** Escapes text for an XML element. */
export function escapeXML(s) {
  return String(s).replace(/[&<>"']/g, (c) => `&${Object.keys(ENTITIES).find((k) => ENTITIES[k] === c)};`);
}
