/**
 * Just enough of a terminal to read what Ink leaves on screen: it redraws its live area by
 * erasing lines (ESC[2K), moving up (ESC[1A) and to column one (ESC[G), then writing anew.
 * Other escape sequences (colours, cursor visibility, synchronised output) are dropped.
 */
export function finalScreen(raw: string): string {
  const lines: string[] = [''];
  let row = 0;
  let col = 0;
  const put = (ch: string) => {
    const line = lines[row]!.padEnd(col);
    lines[row] = line.slice(0, col) + ch + line.slice(col + 1);
    col++;
  };
  // eslint-disable-next-line no-control-regex
  const token = /\u001b\[([?\d;]*)([A-Za-z])|\u001b\][^\u0007]*\u0007|\r\n|[\r\n]|[^\u001b\r\n]/gu;
  for (const m of raw.matchAll(token)) {
    const text = m[0];
    if (m[2] !== undefined) {
      const n = Number(m[1]) || 1;
      switch (m[2]) {
        case 'A':
          row = Math.max(0, row - n);
          break;
        case 'B':
          row += n;
          while (lines.length <= row) lines.push('');
          break;
        case 'G':
          col = 0;
          break;
        case 'K':
          if (m[1] === '2') lines[row] = '';
          else lines[row] = lines[row]!.slice(0, col);
          break;
        case 'J':
          lines.splice(row + 1);
          lines[row] = lines[row]!.slice(0, col);
          break;
        default:
          break;
      }
    } else if (text === '\r\n' || text === '\n') {
      row++;
      col = 0;
      while (lines.length <= row) lines.push('');
    } else if (text === '\r') col = 0;
    else if (!text.startsWith('\u001b')) put(text);
  }
  return lines.map((l) => l.trimEnd()).join('\n').trim();
}

// eslint-disable-next-line no-control-regex
export const stripAnsi = (s: string) => s.replace(/\u001b\[[?\d;]*[A-Za-z]|\u001b\][^\u0007]*\u0007/g, '');
