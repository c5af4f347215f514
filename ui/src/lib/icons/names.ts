// Names of the icons drawn in Icon.svelte. Icons are inline SVG so they render the same on every
// machine: emoji depend on an emoji font that many Linux desktops lack (they show as empty boxes).
export const ICON_NAMES = [
  'phone',
  'visit',
  'meeting',
  'email',
  'chat',
  'send',
  'sms',
  'note',
  'pin',
  'sun',
  'sprout',
  'more',
] as const;

export type IconName = (typeof ICON_NAMES)[number];
