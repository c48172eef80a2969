import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { configurationDocPath, renderConfigurationDoc } from '../../config/configuration-doc.js';
import { environmentVariableNames, projectRoot } from '../../config/index.js';
import { searchAttributeRegistrations } from '../../workflows/search-attributes.js';

// The documentation is checked against the code it describes, so a new variable, a renamed
// search attribute or a moved page fails the suite instead of leaving the docs wrong.

const docsDirectory = path.join(projectRoot, 'docs');
const read = (relativePath: string): string => fs.readFileSync(path.join(projectRoot, relativePath), 'utf8');
const markdownFiles = [
  'README.md',
  ...fs
    .readdirSync(docsDirectory)
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`),
];
const allDocs = markdownFiles.map(read).join('\n');

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
function headingAnchors(markdown: string): Set<string> {
  const withoutCode = markdown.replace(/```[\s\S]*?```/g, '');
  return new Set(
    [...withoutCode.matchAll(/^#{1,6}\s+(.+)$/gm)].map(([, title]) =>
      title!
        .trim()
        .toLowerCase()
        .replace(/[^\p{L}\p{N}\s_-]/gu, '')
        .replace(/\s/g, '-'),
    ),
  );
}

/** Every `[text](target)` link outside code blocks whose target is not a URL. */
function relativeLinks(markdown: string): string[] {
  const withoutCode = markdown.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
  return [...withoutCode.matchAll(/\]\(([^)\s]+)\)/g)]
    .map(([, target]) => target!)
    .filter((target) => !/^[a-z][a-z0-9+.-]*:/i.test(target));
}

/** The rows of the search-attribute table in docs/architecture.md. */
function documentedSearchAttributes(): string[] {
  return [...read('docs/architecture.md').matchAll(/^\| `([A-Za-z]+)` \| Keyword \|/gm)].map(([, name]) => name!);
}

describe('documentation', () => {
  it('when the configuration page is compared with the generator, then it is exactly what npm run docs:config writes', () => {
    expect(read(configurationDocPath)).toBe(renderConfigurationDoc());
  });

  it('when the docs are searched, then every environment variable of the config schema is documented', () => {
    const missing = environmentVariableNames.filter((name) => !allDocs.includes(`\`${name}\``));
    expect(missing).toEqual([]);
  });

  it('when the architecture page lists the search attributes, then they are exactly the ones the code registers', () => {
    expect(documentedSearchAttributes().sort()).toEqual(Object.keys(searchAttributeRegistrations).sort());
  });

  it('when a doc names a search attribute in a Temporal query, then the code registers it', () => {
    const queried = [...allDocs.matchAll(/\b([A-Z][A-Za-z]+) = "/g)].map(([, name]) => name!);
    expect(queried.length).toBeGreaterThan(0);
    expect(queried.filter((name) => !(name in searchAttributeRegistrations))).toEqual([]);
  });

  it.each(markdownFiles)('when %s links to a file in the repository, then the file (and the heading) exists', (file) => {
    const broken = relativeLinks(read(file)).filter((link) => {
      const [target = '', anchor] = link.split('#');
      const resolved = target === '' ? path.join(projectRoot, file) : path.resolve(path.dirname(path.join(projectRoot, file)), target);
      if (!fs.existsSync(resolved)) return true;
      return anchor !== undefined && resolved.endsWith('.md') && !headingAnchors(fs.readFileSync(resolved, 'utf8')).has(anchor);
    });
    expect(broken).toEqual([]);
  });
});
