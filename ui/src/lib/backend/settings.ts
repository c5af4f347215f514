import type { ChannelSettings } from '../bindings/ChannelSettings';
import type { ConnectionTest } from '../bindings/ConnectionTest';
import type { SecretsInput } from '../bindings/SecretsInput';
import type { SendChannel } from '../bindings/SendChannel';
import type { SettingsView } from '../bindings/SettingsView';
import { call } from './call';

export interface SettingsBackend {
  getSettings(): Promise<SettingsView>;
  saveSettings(settings: ChannelSettings, secrets: SecretsInput): Promise<SettingsView>;
  testChannel(channel: SendChannel): Promise<ConnectionTest>;
}

export const tauriSettings: SettingsBackend = {
  getSettings: () => call('get_settings', {}),
  saveSettings: (settings, secrets) => call('save_settings', { settings, secrets }),
  testChannel: (channel) => call('test_channel', { channel }),
};
