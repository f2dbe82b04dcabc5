/**
 * Text from the data (account names, comments, permission names: whatever a system or a reviewer
 * wrote) as HTML text or a double-quoted attribute value. Every value the HTML reports print goes
 * through this: a name such as `<script>` shows as text.
 */
export function escapeHtml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}
