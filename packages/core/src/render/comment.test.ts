import { describe, expect, it } from 'vitest';
import { type CommentContext, commentHeading, commentMarker, projectFile, projectText } from './comment.js';

const ctx: CommentContext = {
  projectDir: 'infra/books',
  workspace: 'prod',
  paths: { cwd: '/ci/repo', project: '/ci/repo/infra/books' },
};

describe('comment context', () => {
  it('heads with the project and workspace, and marks the comment for a sticky update', () => {
    expect(commentHeading('plan', ctx, '2 changes')).toBe(
      '### roster plan · `infra/books` · workspace `prod` · 2 changes',
    );
    expect(commentMarker('drift', ctx)).toBe('<!-- roster-drift dir=infra/books workspace=prod -->');
    // A name cannot end the HTML comment early.
    expect(commentMarker('plan', { ...ctx, projectDir: 'a-->b<c' })).toBe(
      '<!-- roster-plan dir=a-%2D%3Eb%3Cc workspace=prod -->',
    );
  });

  it('writes manifest paths relative to the project, never a directory of the machine', () => {
    expect(projectFile('infra/books/access.yaml', ctx)).toBe('access.yaml');
    expect(projectFile('infra/books/sub/a.yaml', ctx)).toBe('sub/a.yaml');
    expect(projectFile('/ci/repo/infra/books/.rosterignore', ctx)).toBe('.rosterignore');
    expect(projectFile('shared/.rosterignore', ctx)).toBe('shared/.rosterignore');
    expect(projectFile('/etc/roster/.rosterignore', ctx)).toBe('.rosterignore');
    expect(projectFile('infra/books/access.yaml', undefined)).toBe('infra/books/access.yaml');
    expect(projectText('no state at /ci/repo/infra/books/.roster/state.json, or /ci/repo/x', ctx)).toBe(
      'no state at .roster/state.json, or x',
    );
  });
});
