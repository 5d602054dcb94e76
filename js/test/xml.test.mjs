// The XML reader of OSS's answers (js/src/xml.js): what OSS sends, and what it must refuse.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseXML, escapeXML } from '../src/xml.js';

test('reads elements, text, entities, character references and CDATA', () => {
  const root = parseXML(`<?xml version="1.0" encoding="UTF-8"?>
<!-- a comment -->
<ListBucketResult xmlns="http://doc.oss-cn-hangzhou.aliyuncs.com">
  <Name>b</Name><Empty/><Empty2 />
  <Contents><Key>a &amp; b &lt;c&gt; &quot;d&quot; &apos;e&apos; &#20013;&#x6587;</Key></Contents>
  <Contents><Key><![CDATA[<raw> & text]]></Key></Contents>
</ListBucketResult>`);
  assert.equal(root.name, 'ListBucketResult');
  assert.equal(root.childText('Name'), 'b');
  assert.equal(root.childText('Empty'), '');
  assert.equal(root.childText('Empty2'), '');
  assert.deepEqual(root.all('Contents').map((c) => c.childText('Key')), [`a & b <c> "d" 'e' 中文`, '<raw> & text']);
  assert.equal(root.childText('Missing'), undefined);
});

test('refuses documents that are not well-formed', () => {
  for (const bad of ['', 'text only', '<a><b></a>', '<a>', '<a></a><b></b>', '<a><![CDATA[x</a>', '<a', '</a>']) {
    assert.throws(() => parseXML(bad), { code: 'MalformedResponse' }, JSON.stringify(bad));
  }
});

test('escapes text for a request document', () => {
  assert.equal(escapeXML(`"a" & <b> 'c'`), '&quot;a&quot; &amp; &lt;b&gt; &apos;c&apos;');
  assert.equal(parseXML(`<E>${escapeXML('<&>"\'')}</E>`).text, '<&>"\'');
});
