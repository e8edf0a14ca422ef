/**
 * The portal's stylesheet, inlined in each page (one round trip on a slow 3G line; about 3 kB).
 * Mobile first: one column, large touch targets; colours chosen for WCAG AA contrast.
 */
export const PORTAL_CSS = `
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans Devanagari","Lohit Devanagari",sans-serif;color:#1b1b1b;background:#f6f7f9}
a{color:#0b4fb3}
a:focus-visible,button:focus-visible,input:focus-visible,select:focus-visible{outline:3px solid #b35c00;outline-offset:2px}
.skip{position:absolute;left:-999px}.skip:focus{left:8px;top:8px;background:#fff;padding:8px;z-index:2}
header{background:#0a5c36;color:#fff;padding:10px 16px;display:flex;flex-wrap:wrap;gap:8px;align-items:center;justify-content:space-between}
header a{color:#fff}
.brand{font-weight:700;text-decoration:none}
nav ul{list-style:none;margin:0;padding:0 16px;display:flex;flex-wrap:wrap;gap:4px 14px;background:#fff;border-bottom:1px solid #d5d8dd}
nav li a{display:inline-block;padding:10px 0}
nav a[aria-current=page]{font-weight:700;color:#1b1b1b}
main{max-width:640px;margin:0 auto;padding:16px}
h1{font-size:1.4rem;margin:.2em 0 .6em}h2{font-size:1.15rem;margin:1.2em 0 .4em}
.card{background:#fff;border:1px solid #d5d8dd;border-radius:8px;padding:12px 14px;margin:0 0 12px}
.muted{color:#4a4f57}
label{display:block;font-weight:600;margin:10px 0 4px}
input,select,textarea{font:inherit;width:100%;padding:10px;border:1px solid #6b717a;border-radius:6px;background:#fff;color:#1b1b1b}
button,.btn{font:inherit;display:inline-block;min-height:44px;padding:10px 16px;border-radius:6px;border:1px solid #0a5c36;background:#0a5c36;color:#fff;cursor:pointer;text-decoration:none;margin:6px 6px 0 0}
button.quiet,.btn.quiet{background:#fff;color:#0a5c36}
button.danger{background:#a4262c;border-color:#a4262c}
.notice{padding:10px 12px;border-radius:6px;margin:0 0 12px;border:1px solid}
.notice.ok{background:#e7f4ec;border-color:#0a5c36}.notice.error{background:#fde8e8;border-color:#a4262c}
.inline{display:inline}
ul.plain{list-style:none;padding:0;margin:0}
.row{display:flex;flex-wrap:wrap;gap:4px 12px;align-items:baseline;justify-content:space-between}
.tag{font-size:.85rem;padding:1px 8px;border-radius:10px;background:#e9ecf1;color:#1b1b1b}
dl{margin:0}dt{font-weight:600}dd{margin:0 0 8px}
footer{max-width:640px;margin:0 auto;padding:8px 16px 32px}
`;
