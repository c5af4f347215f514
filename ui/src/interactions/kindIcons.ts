import type { InteractionKind } from '../lib/bindings/InteractionKind';

// Emoji render from the OS font, so no icon files are needed and the CSP stays strict.
export const KIND_ICONS: Record<InteractionKind, string> = {
  call: '📞',
  visit: '🤝',
  meeting: '👥',
  email: '✉️',
  zalo: '💬',
  telegram: '✈️',
  sms: '📱',
  note: '📝',
};
