import { describe, expect, it } from 'vitest';
import { plainToBlocks } from './plain-blocks.ts';
import { createOutlineReader } from './pdf-outline.ts';

const outline = [
  { title: 'Getting started', items: [{ title: '1.1 Social dynamics' }, { title: 'Tools' }] },
  { title: 'Chapter 2 First steps', items: [] },
];

describe('createOutlineReader', () => {
  it('turns lines equal to the next outline titles into headings, skipping the table of contents', () => {
    const read = createOutlineReader(outline);
    const toc = read('Contents\n1 Getting started … 1\n1.1 Social dynamics … 2\n2 First steps … 5', 1, plainToBlocks);
    expect(toc).toEqual([{ kind: 'paragraph', text: 'Contents\n1 Getting started … 1\n1.1 Social dynamics … 2\n2 First steps … 5', page: 1 }]);
    const body = read('Chapter 1\nGetting started\nIntro text.\n1.1 Social dynamics\nPeople.\nTools\nA compiler.', 2, plainToBlocks);
    expect(body).toEqual([
      { kind: 'paragraph', text: 'Chapter 1', page: 2 },
      { kind: 'heading', text: 'Getting started', level: 1, page: 2 },
      { kind: 'paragraph', text: 'Intro text.', page: 2 },
      { kind: 'heading', text: '1.1 Social dynamics', level: 2, page: 2 },
      { kind: 'paragraph', text: 'People.', page: 2 },
      { kind: 'heading', text: 'Tools', level: 2, page: 2 },
      { kind: 'paragraph', text: 'A compiler.', page: 2 },
    ]);
    // A running header repeating a passed heading stays text; the next title is still found.
    expect(read('Getting started\nMore.\n2 First steps\nGo.', 3, plainToBlocks)).toEqual([
      { kind: 'paragraph', text: 'Getting started\nMore.', page: 3 },
      { kind: 'heading', text: '2 First steps', level: 1, page: 3 },
      { kind: 'paragraph', text: 'Go.', page: 3 },
    ]);
  });

  it('leaves pages as paragraphs when there is no outline', () => {
    expect(createOutlineReader(null)('a\nb\n\nc', 4, plainToBlocks)).toEqual([
      { kind: 'paragraph', text: 'a\nb', page: 4 },
      { kind: 'paragraph', text: 'c', page: 4 },
    ]);
  });
});
