import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

// Layers: routes/ parse and respond, domain/ decides, data/ holds every SQL statement. This test
// keeps SQL from creeping back above data/. container.ts is left out until its last query moves.
const srcDir = fileURLToPath(new URL('..', import.meta.url));
const checkedFolders = ['domain', 'routes'];

// Upper-case keywords only: the house style writes SQL that way, and English prose ("select a
// role", "update the profile") in messages must not trip it.
const sqlText =
  /\b(SELECT\s|INSERT\s+INTO\b|UPDATE\s+\w+\s+SET\b|DELETE\s+FROM\b|WITH\s+\w+\s+AS\s*\(|BEGIN\b|COMMIT\b|ROLLBACK\b|SAVEPOINT\b|pg_\w+\()/;

/** Where a source file holds SQL: string or template text that reads as SQL, or a `.query` call. */
function sqlFindings(fileName: string, source: string): string[] {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true);
  const findings: string[] = [];
  const at = (node: ts.Node) =>
    `${fileName}:${file.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
  const visit = (node: ts.Node): void => {
    if (
      (ts.isStringLiteral(node) ||
        ts.isNoSubstitutionTemplateLiteral(node) ||
        ts.isTemplateHead(node) ||
        ts.isTemplateMiddle(node) ||
        ts.isTemplateTail(node)) &&
      sqlText.test(node.text)
    )
      findings.push(`${at(node)} SQL text: ${node.text.trim().slice(0, 60)}`);
    if (
      ts.isCallExpression(node) &&
      ts.isPropertyAccessExpression(node.expression) &&
      node.expression.name.text === 'query'
    )
      findings.push(`${at(node)} a .query() call`);
    ts.forEachChild(node, visit);
  };
  visit(file);
  return findings;
}

function shippedSources(folder: string): string[] {
  return readdirSync(join(srcDir, folder), { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts'))
    .map((name) => join(srcDir, folder, name));
}

describe('layers', () => {
  it('when a source holds SQL text or a .query call, then the check names its line', () => {
    const source = [
      "const a = 'SELECT id FROM users';",
      'const b = `WITH t AS (SELECT 1) ${x}`;',
      "await client.query('COMMIT');",
      "await db.query<{ n: number }>('select 1');",
      "const fine = 'Select a role to update the profile';",
      '// UPDATE users SET in a comment is prose',
    ].join('\n');
    expect(sqlFindings('sample.ts', source)).toEqual([
      'sample.ts:1 SQL text: SELECT id FROM users',
      'sample.ts:2 SQL text: WITH t AS (SELECT 1)',
      'sample.ts:3 a .query() call',
      'sample.ts:3 SQL text: COMMIT',
      'sample.ts:4 a .query() call',
    ]);
  });

  it.each(checkedFolders)('when %s/ is read, then it holds no SQL (only data/ does)', (folder) => {
    const files = shippedSources(folder);
    expect(files.length).toBeGreaterThan(0);
    const findings = files.flatMap((path) =>
      sqlFindings(relative(srcDir, path), readFileSync(path, 'utf8')),
    );
    expect(findings).toEqual([]);
  });
});
