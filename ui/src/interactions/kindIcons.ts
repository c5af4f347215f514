import type { InteractionKind } from '../lib/bindings/InteractionKind';
import type { IconName } from '../lib/icons/names';

// Drawn as inline SVG by Icon.svelte: emoji would need an emoji font, which many machines lack.
export const KIND_ICONS: Record<InteractionKind, IconName> = {
  call: 'phone',
  visit: 'visit',
  meeting: 'meeting',
  email: 'email',
  zalo: 'chat',
  telegram: 'send',
  sms: 'sms',
  note: 'note',
};
