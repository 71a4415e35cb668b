// The emulator's HTML pages (login dialog, playground) share this escaping and shell: plain HTML, a
// little CSS, no external assets, so they work offline and under any CSP-free test browser.
const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (ch) => ESCAPES[ch] ?? ch);
}

const BASE_CSS = `
  *{box-sizing:border-box} body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;
  background:#f0f2f5;color:#1c1e21} main{max-width:640px;margin:32px auto;background:#fff;border-radius:8px;
  box-shadow:0 1px 3px rgba(0,0,0,.15);padding:24px} h1{font-size:20px;margin:0 0 12px} .brand{color:#1877f2;
  font-weight:700;font-size:22px;margin:0 0 16px} fieldset{border:1px solid #dddfe2;border-radius:6px;margin:12px 0;
  padding:8px 12px} legend{font-weight:600;padding:0 4px} label{cursor:pointer} button{font:inherit;border:0;
  border-radius:6px;padding:8px 18px;cursor:pointer} .primary{background:#1877f2;color:#fff}
  .secondary{background:#e4e6eb;color:#050505} :focus-visible{outline:3px solid #1877f2;outline-offset:2px}
  .muted{color:#65676b;font-size:13px} .note{background:#fff8e1;border:1px solid #f5d77a;border-radius:6px;padding:8px 12px}
`;

export function htmlPage(title: string, body: string, extraCss = ''): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${BASE_CSS}${extraCss}</style>
</head>
<body>
${body}
</body>
</html>`;
}
