/** Colours as Text props, or none at all: Ink's own colour detection ignores NO_COLOR. */
export type Tone = 'ok' | 'bad' | 'warn' | 'dim' | 'accent' | 'plain';

export interface ToneProps {
  readonly color?: string;
  readonly dimColor?: boolean;
}

export function toneProps(tone: Tone, color: boolean): ToneProps {
  if (!color) return {};
  switch (tone) {
    case 'ok':
      return { color: 'green' };
    case 'bad':
      return { color: 'red' };
    case 'warn':
      return { color: 'yellow' };
    case 'dim':
      return { dimColor: true };
    case 'accent':
      return { color: 'cyan' };
    case 'plain':
      return {};
    default: {
      const never: never = tone;
      return never;
    }
  }
}
