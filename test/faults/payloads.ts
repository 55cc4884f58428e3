// Hostile strings, as customers, endpoints and repositories can send them: markdown and HTML that would link, load,
// run or format; URL schemes and their obfuscations; icon syntax; characters that reorder or hide text; and sheer
// size. `beacon` is a URL on 127.0.0.1 that records every request: a payload that makes anything load from it is
// caught whatever the surface.

export interface Payload {
  /** A short name for failure messages and the table. */
  name: string;
  text: string;
}

/** Every hostile payload, with `beacon` (e.g. `http://127.0.0.1:41234`) as the place things must never load from. */
export function hostilePayloads(beacon: string): Payload[] {
  const b = (tag: string) => `${beacon}/${tag}`;
  const list: [string, string][] = [
    // Markdown links and images, the ways marked finds them.
    ['command link', '[run](command:workbench.action.terminal.new)'],
    ['command link with arguments', '[run](command:workbench.action.terminal.sendSequence?%7B%22text%22%3A%22rm%20-rf%20~%22%7D)'],
    ['our own command', '[open](command:customerLens.openSidebar)'],
    ['encoded command', '[open](command:%63ustomerLens.openSidebar)'],
    ['download command', '[x](command:_workbench.downloadResource)'],
    ['http link', `[x](${b('link')})`],
    ['https link', '[x](https://evil.example.com/login)'],
    ['image', `![i](${b('image')})`],
    ['image in a link', `[![i](${b('image-in-link')})](https://evil.example.com)`],
    ['escaped link', `\\[x](${b('escaped')}) \\![i](${b('escaped-image')})`],
    ['broken brackets', `]](${b('brackets')}) [[x`],
    ['reference link', `[a][r]\n\n[r]: ${b('ref')}`],
    ['shortcut reference', `[a]\n\n[a]: ${b('shortcut')}`],
    ['reference image', `![a][img]\n\n[img]: ${b('ref-image')}`],
    ['autolink', `<${b('autolink')}>`],
    ['e-mail autolink', '<attacker@evil.example.com>'],
    ['bare URL', `${b('bare')} and HTTP://EVIL.EXAMPLE.COM`],
    ['www autolink', 'www.evil.example.com'],
    ['e-mail', 'attacker@evil.example.com'],
    ['angle-bracket target', `[x](<${b('angle')}>)`],
    ['spaced target', `[x]( ${b('spaced')} )`],
    ['target with title', `[x](${b('titled')} "title")`],
    ['entity in target', '[x](&#104;ttps://evil.example.com)'],
    ['footnote', `text[^1]\n\n[^1]: ${b('footnote')}`],
    // URL schemes and their obfuscations.
    ['javascript:', '[x](javascript:window.__pwned=1)'],
    ['javascript: mixed case', '[x](JaVaScRiPt:window.__pwned=1)'],
    ['javascript: with a tab', '[x](java\tscript:window.__pwned=1)'],
    ['javascript: with entities', '[x](javascript&colon;window.__pwned=1)'],
    ['javascript: percent-encoded', '[x](%6Aavascript:window.__pwned=1)'],
    ['data: URL', '[x](data:text/html;base64,PHNjcmlwdD53aW5kb3cuX19wd25lZD0xPC9zY3JpcHQ+)'],
    ['data: image', '![x](data:image/svg+xml,%3Csvg%20onload%3D%22window.__pwned%3D1%22%3E)'],
    ['vbscript:', '[x](vbscript:msgbox(1))'],
    ['file:', '[x](file:///etc/passwd)'],
    ['vscode:', '[x](vscode://vscode.git/clone?url=https://evil.example.com/repo)'],
    // Raw HTML.
    ['script tag', '<script>window.__pwned=1</script>'],
    ['img onerror', '<img src=x onerror="window.__pwned=1">'],
    ['img from the beacon', `<img src="${b('html-img')}">`],
    ['svg onload', '<svg onload="window.__pwned=1"></svg>'],
    ['iframe', `<iframe src="${b('iframe')}"></iframe>`],
    ['anchor with javascript:', '<a href="javascript:window.__pwned=1">click</a>'],
    ['inline style with url()', `<div style="background:url(${b('css')})">x</div>`],
    ['stylesheet link', `<link rel="stylesheet" href="${b('stylesheet')}">`],
    ['meta refresh', `<meta http-equiv="refresh" content="0;url=${b('meta')}">`],
    ['object', `<object data="${b('object')}"></object>`],
    ['base tag', `<base href="${b('base')}/">`],
    ['style @import', `<style>@import url(${b('import')});</style>`],
    ['details ontoggle', '<details open ontoggle="window.__pwned=1">x</details>'],
    ['attribute breakout', '"><script>window.__pwned=1</script>'],
    ['single-quote breakout', "'><img src=x onerror=window.__pwned=1>"],
    ['textarea breakout', '</textarea><script>window.__pwned=1</script>'],
    ['math xlink', '<math><mi xlink:href="javascript:window.__pwned=1">x</mi></math>'],
    ['HTML comment', '<!-- hidden --> visible'],
    ['HTML block', '<div>\n\n**bold inside html**\n\n</div>'],
    ['entities', '&lt;script&gt; &#60;b&#62; &amp;amp; &#x3C;i&#x3E;'],
    // Markdown structure.
    ['heading', '# Heading\n## Sub'],
    ['setext heading', 'Title\n====='],
    ['rule', '---\n***'],
    ['block quote', '> quoted\n> more'],
    ['lists', '- one\n* two\n1. three\n2) four'],
    ['fenced code', '```js\nalert(1)\n```'],
    ['indented code', '    indented code'],
    ['table', '| a | b |\n|---|---|\n| c | d |'],
    ['emphasis', '***bold italic*** _em_ __strong__ ~~strike~~'],
    ['backticks', '`code` ``double`` ```triple'],
    ['task list', '- [ ] task\n- [x] done'],
    ['hard break', 'a  \nb\\\nc'],
    ['GitHub alert', '> [!WARNING]\n> careful'],
    ['escapes', '\\*not bold\\* \\\\ \\` \\['],
    // Icon syntax.
    ['icons', '$(alert) $(loading~spin) $(zap)'],
    ['escaped icon', '\\$(alert) \\\\$(bug)'],
    ['icon-like', '$(unclosed $() $(a b)'],
    // Characters that reorder or hide text.
    ['right-to-left override', 'safe\u202egnp.exe'],
    ['bidi isolates', 'x \u2066isolated\u2069 \u2067rtl\u2069 \u2068first\u2069'],
    ['bidi marks', 'a\u200eb\u200fc\u061cd'],
    ['bidi embeddings', '\u202aleft\u202c \u202bright\u202c'],
    ['NUL and BEL', 'nul\u0000 bell\u0007'],
    ['ANSI colour', '\u001b[31mred\u001b[0m \u001b[2J'],
    ['OSC 8 terminal link', `\u001b]8;;${b('osc8')}\u0007click\u001b]8;;\u0007`],
    ['carriage return overwrite', 'harmless\rOVERWRITE'],
    ['C1 controls', 'csi\u009b31m nel\u0085'],
    ['line separators', 'one\u2028two\u2029three'],
    ['zero-width and BOM', 'zero\u200bwidth\ufeffbom'],
    // Size and repetition.
    ['100 kB string', 'coupon '.repeat(14_286)],
    ['100 kB word', 'x'.repeat(100_000)],
    ['10,000 quotes', '"'.repeat(10_000)],
    ['10,000 backticks', '`'.repeat(10_000)],
    ['10,000 brackets', '['.repeat(5_000) + ']'.repeat(5_000)],
    ['5,000 asterisks', '*'.repeat(5_000)],
    ['10,000 angle brackets', '<'.repeat(10_000)],
    ['nested emphasis', '*_'.repeat(2_000)],
    // Unicode that is fine and must stay readable.
    ['emoji sequence', 'team 👩‍💻👨‍👩‍👧 ok'],
    ['Arabic', 'مرحبا بالعالم'],
    ['combining marks', 'Z̷̡̛a̸͇̓l̶̰͝g̷̣̈o̵̪͑'],
    ['lone surrogate', 'half \ud800 surrogate'],
    ['full-width brackets', '［ｘ］（ｈｔｔｐ：／／ｅｖｉｌ）'],
    // Other injections.
    ['template syntax', '${7*7} {{7*7}} <%= 7*7 %> %s %n'],
    ['JSON breakout', '"},{"id":"x","url":"javascript:alert(1)'],
    ['YAML syntax', '*alias &anchor !!js/function "x"'],
    ['path traversal', '../../../../etc/passwd'],
    ['whitespace only', '   \t\t  '],
    ['blank lines', '\n\n\n'],
  ];
  return list.map(([name, text]) => ({ name, text }));
}
