/** Parsers never fetch: remote images, scripts, styles and linked DOCX images are left alone. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDocument } from './parse-document.ts';
import { closeParseSandbox } from './sandbox-process.ts';
import { TEST_LIMITS } from './testing/fixtures.ts';
import { buildDocx } from './testing/zip-builder.ts';

let server: Server;
let requests = 0;
let base = '';

beforeAll(async () => {
  server = createServer((_, response) => {
    requests++;
    response.end('x');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  closeParseSandbox();
  await new Promise((resolve) => server.close(resolve));
});

const NS =
  'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" ' +
  'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" ' +
  'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" ' +
  'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" ' +
  'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"';

const linkedImageDocx = () =>
  buildDocx(
    {
      data:
        `<?xml version="1.0" encoding="UTF-8"?><w:document ${NS}><w:body><w:p><w:r><w:t>Caption</w:t></w:r>` +
        '<w:r><w:drawing><wp:inline><wp:docPr id="1" name="Picture 1" descr="remote"/><a:graphic><a:graphicData>' +
        '<pic:pic><pic:blipFill><a:blip r:link="rId9"/></pic:blipFill></pic:pic></a:graphicData></a:graphic>' +
        '</wp:inline></w:drawing></w:r></w:p></w:body></w:document>',
    },
    [
      {
        name: 'word/_rels/document.xml.rels',
        data:
          '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
          `<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="${base}/image.png" TargetMode="External"/>` +
          '</Relationships>',
      },
    ],
  );

describe('parsers never fetch', () => {
  it('reads HTML, markdown and a DOCX with a linked image without a single request', async () => {
    const html = new TextEncoder().encode(
      `<html><head><link rel="stylesheet" href="${base}/a.css"><script src="${base}/a.js"></script></head>` +
        `<body><p>Hello<img src="${base}/a.png"></p><iframe src="${base}/frame"></iframe></body></html>`,
    );
    const markdown = new TextEncoder().encode(`# Doc\n\n![remote](${base}/b.png) text\n`);
    expect((await parseDocument(html, { mediaType: 'text/html', limits: TEST_LIMITS })).blocks).toEqual([
      { kind: 'paragraph', text: 'Hello' },
    ]);
    expect((await parseDocument(markdown, { mediaType: 'text/markdown', limits: TEST_LIMITS })).blocks).toEqual([
      { kind: 'heading', text: 'Doc', level: 1 },
      { kind: 'paragraph', text: 'remote text' },
    ]);
    const docx = await parseDocument(linkedImageDocx(), {
      mediaType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      limits: TEST_LIMITS,
    });
    expect(docx.blocks).toEqual([{ kind: 'paragraph', text: 'Caption' }]);
    expect(requests).toBe(0);
  });
});
