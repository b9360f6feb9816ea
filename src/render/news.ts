import type { Paper } from '../corpus/paper.js';
import { codeSpan, markdownEscape, readingListItems } from './markdown.js';

/** What one saved search found: its name, its query, and its new papers, newest first. */
export interface NewsGroup {
  name: string;
  query: string;
  papers: Paper[];
}

/** A digest to mail (from cron): a section a saved search with news, each paper as the Markdown reading list has it. */
export function renderNewsDigest(day: string, groups: NewsGroup[]): string {
  const sections = groups
    .filter((group) => group.papers.length > 0)
    .map((group) => {
      const count = `${group.papers.length} new ${group.papers.length === 1 ? 'paper' : 'papers'}`;
      return `## ${markdownEscape(group.name)}: ${count}\n\n${codeSpan(group.query)}\n\n${readingListItems(group.papers).join('\n')}\n`;
    });
  return `# Papers news, ${day}\n\n${sections.join('\n')}`;
}
